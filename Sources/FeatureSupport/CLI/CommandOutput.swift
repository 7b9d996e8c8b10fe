import Foundation

/// How admin commands print records: JSON as the API writes it (camelCase keys, ISO dates),
/// sorted and indented for reading.
public enum CommandOutput {
    /// Prints `value` as indented JSON.
    public static func printJSON(_ value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }
}
