import DataAccess

/// Where a study circle is: planned → running → completed → reported, or rejected.
enum CircleState: String, Sendable, Hashable, Codable, CaseIterable {
    case planned
    case running
    case completed
    case reported
    case rejected

    /// The states a change may lead to from this one.
    var allowedNext: [CircleState] {
        switch self {
        case .planned: [.running, .rejected]
        case .running: [.completed, .rejected]
        case .completed: [.reported, .rejected]
        case .reported, .rejected: []
        }
    }

    /// Whether meetings and attendance may still be recorded.
    var takesMeetings: Bool { self == .planned || self == .running }
}

extension CircleState: SQLEncodable, SQLDecodable {}
