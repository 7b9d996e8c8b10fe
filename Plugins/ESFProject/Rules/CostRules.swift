import Foundation

/// The cost arithmetic of rule 17: staff cost = hours × unit cost, a full year being 1 862
/// hours; indirect costs a flat rate of staff costs; co-financing = 1 − the EU share. Amounts
/// are rounded to öre (two decimals) as the claim shows them.
struct CostRules: Sendable, Hashable {
    var hoursPerYear: Decimal = 1862
    var indirectPercent: Decimal = 15

    /// The hourly unit cost of a yearly staff cost.
    func unitCost(annualCost: Decimal) -> Decimal { Self.rounded(annualCost / hoursPerYear) }

    /// Hours in a month at full time: 155.16 for 1 862 a year (the social fund truncates).
    var hoursPerMonth: Decimal {
        var value = hoursPerYear / 12
        var result = Decimal()
        NSDecimalRound(&result, &value, 2, .down)
        return result
    }

    func staffCost(hours: Decimal, unitCost: Decimal) -> Decimal { Self.rounded(hours * unitCost) }

    /// The most hours a month at an employment share: ``hoursPerMonth`` scaled, to two decimals (down).
    func hoursPerMonth(sharePercent: Decimal) -> Decimal {
        var value = hoursPerMonth * sharePercent / 100
        var result = Decimal()
        NSDecimalRound(&result, &value, 2, .down)
        return result
    }

    /// The hourly unit cost of a staff member who costs `annualCost` a year at `sharePercent` of full time.
    func unitCost(annualCost: Decimal, sharePercent: Decimal) -> Decimal { Self.rounded(annualCost / (hoursPerYear * sharePercent / 100)) }

    func indirectCosts(staff: Decimal) -> Decimal { Self.rounded(staff * indirectPercent / 100) }

    /// The totals of booked amounts per category. In-kind contributions (`financing`) are
    /// co-financing, never an eligible cost (rule 18): they are listed by source.
    func totals(booked: [CostCategory: Decimal], inKind: [CoFinancingSource: Decimal] = [:], euSharePercent: Decimal) -> ClaimTotals {
        var byCategory = booked
        byCategory[.indirectCosts] = indirectCosts(staff: booked[.staff] ?? 0)
        var eligible: Decimal = 0
        for (category, amount) in byCategory where category != .financing {
            eligible += category == .revenue ? -amount : amount
        }
        let eu = Self.rounded(eligible * euSharePercent / 100)
        return ClaimTotals(
            byCategory: Dictionary(uniqueKeysWithValues: CostCategory.allCases.map { ($0.rawValue, byCategory[$0] ?? 0) }),
            eligible: eligible,
            euSharePercent: euSharePercent,
            euAmount: eu,
            coFinancing: eligible - eu,
            inKindBySource: Dictionary(uniqueKeysWithValues: CoFinancingSource.allCases.map { ($0.rawValue, inKind[$0] ?? 0) })
        )
    }

    /// Rounds half away from zero to two decimals.
    static func rounded(_ value: Decimal) -> Decimal {
        var value = value
        var result = Decimal()
        NSDecimalRound(&result, &value, 2, .plain)
        return result
    }

    /// Whether `value` has at most two decimals.
    static func hasCents(_ value: Decimal) -> Bool { rounded(value) == value }
}
