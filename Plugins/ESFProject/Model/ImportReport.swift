import PluginKit

/// What a CSV import did, or every bad row it found (then nothing was stored).
struct ImportReport: Sendable, Hashable, Codable {
    var kind: ImportKind
    var rows: Int
    /// Participations or jobs created.
    var created = 0
    /// Re-entries recorded (participants).
    var reentered = 0
    /// Rows already on record, left as they were.
    var unchanged = 0
    /// People the registry did not know yet and registered.
    var peopleRegistered = 0
    /// The file was imported before (same SHA-256): nothing was done.
    var alreadyImported = false
    var errors: [RowError] = []

    /// A bad row: its line in the file (the header is line 1), the column and why.
    struct RowError: Sendable, Hashable, Codable, Error {
        var line: Int
        var column: String
        var reason: String
        /// The catalogue's text for the reason (`error_` + its key), so the upload page says it
        /// in the reader's language; the API's problem body keeps the English reason.
        var wording: Wording?

        private enum CodingKeys: String, CodingKey {
            case line, column, reason
        }
    }
}

/// What a CSV file holds, told by its header.
enum ImportKind: String, Sendable, Hashable, Codable, CaseIterable {
    case participants
    case jobs
}
