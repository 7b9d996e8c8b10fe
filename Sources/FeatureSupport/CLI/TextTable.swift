/// Left-aligned columns for terminal output of admin commands.
///
/// ```swift
/// var table = TextTable("ID", "NAME")
/// table.add("1", "Returbutiken")
/// print(table.rendered)
/// ```
public struct TextTable: Sendable {
    /// The column titles.
    public let header: [String]
    /// The rows added so far.
    public private(set) var rows: [[String]] = []

    /// Creates a table with these column titles.
    public init(_ header: String...) { self.header = header }

    /// Creates a table with these column titles.
    public init(_ header: [String]) { self.header = header }

    /// Adds a row.
    public mutating func add(_ row: String...) { rows.append(row) }

    /// Adds a row from an array.
    public mutating func add(row: [String]) { rows.append(row) }

    /// The table as lines of text, columns padded to the widest cell.
    public var rendered: String {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { column < $0.count ? $0[column].count : 0 }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[column] - cell.count)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
