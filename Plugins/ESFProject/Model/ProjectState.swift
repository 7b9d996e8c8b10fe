import DataAccess

/// Where an ESF project is in its life: applied → granted → running → closing → closed.
enum ProjectState: String, Sendable, Hashable, Codable, CaseIterable {
    case applied
    case granted
    case running
    case closing
    case closed

    /// The one state a change may lead to from this one.
    var next: ProjectState? {
        switch self {
        case .applied: .granted
        case .granted: .running
        case .running: .closing
        case .closing: .closed
        case .closed: nil
        }
    }
}

extension ProjectState: SQLEncodable, SQLDecodable {}
