#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Who made a change, as the audit log records it: a user of the API, or an operator at the
/// command line.
public struct Actor: Sendable, Hashable, CustomStringConvertible {
    /// The user's id in `kernel.users`; `nil` for the command line and the system.
    public let userID: Int?
    /// The user's login name, `cli:<os user>`, or `system`.
    public let name: String
    /// The HTTP request the change came with, as in `X-Request-ID` and the logs.
    public let requestID: String?

    /// Creates an actor.
    public init(userID: Int?, name: String, requestID: String? = nil) {
        self.userID = userID
        self.name = name
        self.requestID = requestID
    }

    /// The operator running an admin command, named by the operating-system user.
    public static var commandLine: Actor {
        let user = getpwuid(geteuid()).flatMap { $0.pointee.pw_name.map { String(cString: $0) } } ?? "uid \(geteuid())"
        return Actor(userID: nil, name: "cli:\(user)")
    }

    /// The host itself (jobs, event handlers, demo data).
    public static let system = Actor(userID: nil, name: "system")

    public var description: String { name }
}
