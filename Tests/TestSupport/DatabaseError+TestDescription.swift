public import DataAccess
public import Testing

/// A test that fails with a database error shows the server's detail too (which a user-facing
/// message leaves out), so a failure seen only in CI can be told apart from another: a refused
/// connection, a timeout, "too many clients".
extension DatabaseError: CustomTestStringConvertible {
    /// The error with its detail (``DatabaseError/debugDescription``).
    public var testDescription: String { debugDescription }
}
