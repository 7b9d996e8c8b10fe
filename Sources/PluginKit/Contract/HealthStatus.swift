/// A feature's or the database's health, as `/health` reports it.
public enum HealthStatus: Sendable, Hashable, CustomStringConvertible {
    /// Working.
    case up
    /// Working with a problem the operator should see.
    case degraded(String)
    /// Not working.
    case down(String)

    /// `up`, `degraded` or `down`.
    public var state: String {
        switch self {
        case .up: "up"
        case .degraded: "degraded"
        case .down: "down"
        }
    }

    /// Why it is not up, if it is not.
    public var reason: String? {
        switch self {
        case .up: nil
        case .degraded(let reason), .down(let reason): reason
        }
    }

    public var description: String { reason.map { "\(state): \($0)" } ?? state }
}
