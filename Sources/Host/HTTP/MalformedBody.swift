import PluginKit

/// A JSON request body of the wrong shape for its operation's schema (a string for a number, a
/// required field missing, a value outside an enumeration): 400 with each field, as a body that
/// does not decode always was.
struct MalformedBody: Error, Sendable {
    /// Each bad value with where it is.
    var problems: [FieldProblem]
}
