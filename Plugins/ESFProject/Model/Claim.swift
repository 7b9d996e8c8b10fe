import DataAccess
import Foundation

/// A payment claim for a period: the costs booked in it by category, indirect costs at the
/// flat rate, the total, the EU part and the co-financing. draft → submitted → paid; a
/// submitted claim's totals are frozen and its period is closed to new costs.
struct Claim: Sendable, Hashable, Codable {
    let id: Int
    var projectId: Int
    var from: LocalDate
    var to: LocalDate
    var state: State
    var totals: ClaimTotals
    var submittedOn: LocalDate?
    var paidOn: LocalDate?
    var paidAmount: Decimal?

    enum State: String, Sendable, Hashable, Codable, CaseIterable {
        case draft
        case submitted
        case paid

        /// The one state a claim moves to from this one: draft → submitted → paid.
        var next: State? {
            switch self {
            case .draft: .submitted
            case .submitted: .paid
            case .paid: nil
            }
        }
    }
}

extension Claim.State: SQLEncodable, SQLDecodable {}

/// What a claim adds up to.
struct ClaimTotals: Sendable, Hashable, Codable {
    /// Booked amounts per category (indirect costs computed).
    var byCategory: [String: Decimal]
    /// Staff + travel + equipment… + external services + indirect − revenue; in-kind
    /// contributions (`financing`) are not eligible costs.
    var eligible: Decimal
    var euSharePercent: Decimal
    /// `eligible` × the EU share, to two decimals.
    var euAmount: Decimal
    /// The rest: `eligible` × (1 − the EU share).
    var coFinancing: Decimal
    /// The in-kind co-financing (`financing`) by source; absent in totals frozen before sources were recorded.
    var inKindBySource: [String: Decimal]?
}

/// A new claim's period.
struct ClaimDraft: Sendable, Hashable, Codable {
    var from: LocalDate
    var to: LocalDate
}

/// A claim's state change: submitted on a day, or paid with the amount.
struct ClaimStateChange: Sendable, Hashable, Codable {
    var state: Claim.State
    var on: LocalDate
    var paidAmount: Decimal?
}
