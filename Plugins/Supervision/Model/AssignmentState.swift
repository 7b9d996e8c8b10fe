import DataAccess

/// Where an assignment is in its life: proposed → active → under review → renewed | ended.
enum AssignmentState: String, Sendable, Hashable, Codable, CaseIterable {
    case proposed
    case active
    case underReview
    case renewed
    case ended

    /// The states a change may lead to from this one.
    var allowedNext: [AssignmentState] {
        switch self {
        case .proposed: [.active, .ended]
        case .active: [.underReview, .ended]
        case .underReview: [.renewed, .ended]
        case .renewed: [.underReview, .ended]
        case .ended: []
        }
    }

    /// Whether supervision runs under it: the states the one-per-provider rule counts.
    var isInForce: Bool { self == .active || self == .underReview || self == .renewed }

    /// The in-force states as an SQL list, for `state IN (…)`.
    static let inForceSQL: SQL = "('active', 'underReview', 'renewed')"
}

extension AssignmentState: SQLEncodable, SQLDecodable {}
