/// Why password work was refused before it started.
enum PasswordHashingError: Error, Equatable, CustomStringConvertible {
    /// As many pieces of work as may wait already wait for a thread: try again in a moment.
    case busy
    /// The host is shutting down.
    case stopped

    var description: String {
        switch self {
        case .busy: "too many sign-ins at once; try again in a moment"
        case .stopped: "the host is shutting down"
        }
    }
}
