import DataAccess
import Foundation

/// What the ESF council asks of a project for a reporting period, as it stood at the period's
/// end: every indicator by gender against its target, participants and jobs against their
/// targets with the straight-line projection, the budget against the outcome per cost category,
/// co-financing by source, and the payment claims made and paid.
///
/// "In the period" counts what fell between `from` and `to`; "to date" what fell from the
/// project's start through `to`. The indicators count by the definitions the period was
/// reported with (``definitionsOn``), and a claim counts as made or paid only from its day.
struct ProgressReport: Sendable, Hashable, Codable {
    var projectId: Int
    var caseNumber: String
    var name: String
    var from: LocalDate
    var to: LocalDate
    var indicatorSet: String
    /// The day whose indicator definitions counted: the day the period's last month was
    /// submitted, `nil` for the current definitions (a month of the period still open).
    var definitionsOn: LocalDate?
    var indicators: [IndicatorLine]
    var participants: TargetLine
    var jobs: TargetLine
    var budget: [BudgetLine]
    var eligible: Amounts
    var coFinancing: CoFinancing
    var claims: [ClaimLine]
    /// The EU amount of the claims made (submitted by `to`): in the period and to date.
    var claimed: Amounts
    /// What was paid on them by `to`: in the period and to date.
    var paid: Amounts

    /// A number of people in the period and to date, by gender, as a reader sees them.
    struct Counts: Sendable, Hashable, Codable {
        var total: IndicatorReport.Count
        var women: IndicatorReport.Count
        var men: IndicatorReport.Count
        var other: IndicatorReport.Count
    }

    /// One indicator: its counts (absent when `restricted`) and the project's target for it.
    struct IndicatorLine: Sendable, Hashable, Codable {
        var code: String
        var kind: IndicatorDefinition.Kind
        var name: String
        var restricted: Bool
        var inPeriod: Counts?
        var toDate: Counts?
        var target: Int?
        var targetWomen: Int?
        var targetMen: Int?
    }

    /// Participants (first entries, rule 13) or jobs against the project's target.
    struct TargetLine: Sendable, Hashable, Codable {
        var inPeriod: Counts
        var toDate: Counts
        var target: Int?
        var targetOn: LocalDate?
        /// What the pace from the project's start to `to` reaches on `targetOn`.
        var projected: Int?
        var onTrack: Bool?
    }

    /// Kronor in the period and from the project's start through its end.
    struct Amounts: Sendable, Hashable, Codable {
        var inPeriod: Decimal
        var toDate: Decimal
    }

    /// A cost category's budget and outcome (indirect costs at the flat rate of staff costs).
    struct BudgetLine: Sendable, Hashable, Codable {
        var category: CostCategory
        var budget: Decimal
        var inPeriod: Decimal
        var toDate: Decimal
        /// The budget less the outcome to date.
        var remaining: Decimal
    }

    /// Co-financing: in kind by source (each `financing` entry names one), against the budget's
    /// `financing` line, and the share of the eligible costs the EU does not pay (rule 17).
    struct CoFinancing: Sendable, Hashable, Codable {
        var bySource: [SourceLine]
        var inKind: Amounts
        var inKindBudget: Decimal
        /// The eligible costs × (1 − the EU share).
        var required: Amounts
    }

    struct SourceLine: Sendable, Hashable, Codable {
        var source: CoFinancingSource
        var inPeriod: Decimal
        var toDate: Decimal
    }

    /// A claim made by the report's end, in the state it had then.
    struct ClaimLine: Sendable, Hashable, Codable {
        var id: Int
        var from: LocalDate
        var to: LocalDate
        var state: Claim.State
        var euAmount: Decimal
        var submittedOn: LocalDate
        var paidOn: LocalDate?
        var paidAmount: Decimal?
    }
}
