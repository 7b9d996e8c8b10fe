extension DatabaseError {
    /// A message for a server error that names the failure and the schema objects involved,
    /// but never the values: PostgreSQL's own messages may quote data (`invalid input syntax for
    /// type integer: "…"`, or key values in a unique violation's detail).
    static func safeMessage(sqlState: String, primary: String, constraint: String?, table: String?, column: String?) -> String {
        var text: String
        switch sqlState {
        case "23505": text = "duplicate value"
        case "23503": text = "reference to a missing or still-referenced row"
        case "23514": text = "check constraint failed"
        case "23502": text = "missing required value"
        case "22P02", "22007", "22008", "22003": text = "invalid value for the column's type"
        case "40001": text = "serialization failure"
        case "40P01": text = "deadlock detected"
        case "57014": text = "statement cancelled or timed out"
        case "57P01", "57P02", "57P03": text = "the database server is shutting down or starting up"
        case "42P01": text = "undefined table"
        case "42703": text = "undefined column"
        case "42601": text = "syntax error"
        default:
            // Class 42 (syntax, undefined objects) and other schema errors name objects, not data.
            text = sqlState.hasPrefix("42") || sqlState.hasPrefix("3F") || sqlState.hasPrefix("2B") ? primary : "statement failed"
        }
        if let constraint { text += " (constraint \(constraint))" }
        if let table, constraint == nil { text += " (table \(table))" }
        if let column { text += " (column \(column))" }
        return text
    }
}
