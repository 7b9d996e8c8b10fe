/// A message could not be handed over: what the server or program said, or why it was not reached.
struct MailError: Error, Sendable, CustomStringConvertible {
    let message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}
