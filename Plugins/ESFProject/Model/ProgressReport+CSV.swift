import CSVKit
import DataAccess
import Foundation

extension ProgressReport {
    /// The report as CSV, one figure a line (`section`, `item`, `name`, `measure`, `value`), so
    /// every part of it fits one table a spreadsheet can pivot: `indicator` lines for each count
    /// by gender in the period and to date and each target (a suppressed count as its band,
    /// `< 5`; no lines for an indicator the reader may not see), `participants` and `jobs`,
    /// `budget` per cost category, `coFinancing` per source, `claim` per claim made and
    /// `claims` for the sums. Amounts have two decimals.
    var csv: CSV {
        var csv = CSV("projectId", "from", "to", "section", "item", "name", "measure", "value")
        func add(_ section: String, _ item: String, _ name: String, _ measure: String, _ value: String) {
            csv.add(String(projectId), from.description, to.description, section, item, name, measure, value)
        }
        func add(_ section: String, _ item: String, _ name: String, _ counts: Counts?, _ column: String) {
            guard let counts else { return }
            for (gender, count) in [("total", counts.total), ("women", counts.women), ("men", counts.men), ("other", counts.other)] {
                add(section, item, name, gender + column, count.description)
            }
        }
        func money(_ amount: Decimal) -> String { Self.money(amount) }
        for line in indicators where !line.restricted {
            add("indicator", line.code, line.name, line.inPeriod, "InPeriod")
            add("indicator", line.code, line.name, line.toDate, "ToDate")
            for (measure, value) in [("target", line.target), ("targetWomen", line.targetWomen), ("targetMen", line.targetMen)] {
                if let value { add("indicator", line.code, line.name, measure, String(value)) }
            }
        }
        for (item, line) in [("participants", participants), ("jobs", jobs)] {
            add(item, item, "", line.inPeriod, "InPeriod")
            add(item, item, "", line.toDate, "ToDate")
            if let target = line.target { add(item, item, "", "target", String(target)) }
            if let targetOn = line.targetOn { add(item, item, "", "targetOn", targetOn.description) }
            if let projected = line.projected { add(item, item, "", "projected", String(projected)) }
        }
        for line in budget {
            let item = line.category.rawValue
            add("budget", item, "", "budget", money(line.budget))
            add("budget", item, "", "inPeriod", money(line.inPeriod))
            add("budget", item, "", "toDate", money(line.toDate))
            add("budget", item, "", "remaining", money(line.remaining))
        }
        add("budget", "eligible", "", "inPeriod", money(eligible.inPeriod))
        add("budget", "eligible", "", "toDate", money(eligible.toDate))
        for line in coFinancing.bySource {
            add("coFinancing", line.source.rawValue, "", "inPeriod", money(line.inPeriod))
            add("coFinancing", line.source.rawValue, "", "toDate", money(line.toDate))
        }
        add("coFinancing", "inKind", "", "budget", money(coFinancing.inKindBudget))
        add("coFinancing", "required", "", "inPeriod", money(coFinancing.required.inPeriod))
        add("coFinancing", "required", "", "toDate", money(coFinancing.required.toDate))
        for claim in claims {
            let item = String(claim.id)
            let name = "\(claim.from) – \(claim.to)"
            add("claim", item, name, "state", claim.state.rawValue)
            add("claim", item, name, "submittedOn", claim.submittedOn.description)
            add("claim", item, name, "claimed", money(claim.euAmount))
            if let paidOn = claim.paidOn { add("claim", item, name, "paidOn", paidOn.description) }
            if let paid = claim.paidAmount { add("claim", item, name, "paid", money(paid)) }
        }
        for (measure, amounts) in [("claimed", claimed), ("paid", paid)] {
            add("claims", measure, "", "inPeriod", money(amounts.inPeriod))
            add("claims", measure, "", "toDate", money(amounts.toDate))
        }
        return csv
    }

    /// An amount with its two decimals (`1234.50`, `0.00`): the spreadsheet dialect writes the
    /// decimal comma.
    static func money(_ amount: Decimal) -> String {
        var value = amount
        var rounded = Decimal()
        NSDecimalRound(&rounded, &value, 2, .plain)
        let cents = NSDecimalNumber(decimal: rounded * 100).int64Value
        let sign = cents < 0 ? "-" : ""
        let fraction = abs(cents) % 100
        return "\(sign)\(abs(cents) / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}
