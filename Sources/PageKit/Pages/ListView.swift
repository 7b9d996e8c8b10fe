import Foundation
public import Hummingbird

/// A list page's table head, pager and download link as the shared partials render them
/// (`{{> listSearch}}`, `{{> listHead}}`, `{{> pager}}`): column headers that sort (with
/// `aria-sort`), the previous and next page, "25–50 of 120", and the CSV download of the rows
/// the search found, in the order shown.
public struct ListView: Sendable {
    /// A column header.
    public struct Column: Sendable, Hashable {
        /// The header's text.
        public var label: String
        /// The link that sorts by it (toggling the direction when it is the sorted one); `nil`
        /// for a column that does not sort.
        public var sortURL: String?
        /// `ascending`, `descending` or `none`.
        public var ariaSort: String
        /// Whether the list is sorted by it.
        public var sorted: Bool
        /// `▲` or `▼` for the sorted column.
        public var arrow: String
    }

    /// The search text.
    public var text: String
    /// The list's path, the search form's target.
    public var path: String
    /// The column headers.
    public var columns: [Column]
    /// The number of rows the search found.
    public var total: Int
    /// "Visar 26–50 av 120".
    public var summary: String
    /// The previous page, if any.
    public var previousURL: String?
    /// The next page, if any.
    public var nextURL: String?
    /// The CSV download of the rows found (up to ``ListQuery/downloadLimit``).
    public var csvURL: String
    /// The page sizes with the chosen one marked.
    public var sizes: [FormField.Option]
    /// The query's other parameters as hidden fields of the search form (filters), so a search
    /// keeps them.
    public var hidden: [FormField.Option]

    /// Builds the view of a list.
    ///
    /// - Parameters:
    ///   - query: The list's query.
    ///   - total: The rows the search found.
    ///   - columns: Each column's sort key (`nil` when it does not sort) and header text.
    ///   - context: The page's request.
    public init(query: ListQuery, total: Int, columns: [(key: String?, label: String)], context: PageContext) {
        let path = context.target.path
        let parameters = context.target.query.map { ($0.name, $0.value) }
        func link(_ changes: [String: String?]) -> String {
            var kept = parameters.filter { changes[$0.0] == nil }
            for (key, value) in changes.sorted(by: { $0.key < $1.key }) { if let value = value { kept.append((key, value)) } }
            let encoded = kept.map { "\(QueryEncoding.encode($0.0))=\(QueryEncoding.encode($0.1))" }.joined(separator: "&")
            return encoded.isEmpty ? path : path + "?" + encoded
        }
        self.text = query.text ?? ""
        self.path = path
        self.columns = columns.map { key, label in
            guard let key else { return Column(label: label, sortURL: nil, ariaSort: "none", sorted: false, arrow: "") }
            let sorted = key == query.sort
            let nextOrder = sorted && !query.descending ? "desc" : "asc"
            return Column(
                label: label,
                sortURL: link(["sort": key, "order": nextOrder, "page": nil]),
                ariaSort: sorted ? (query.descending ? "descending" : "ascending") : "none",
                sorted: sorted,
                arrow: sorted ? (query.descending ? "▼" : "▲") : ""
            )
        }
        self.total = total
        let from = total == 0 ? 0 : query.offset + 1
        let to = min(query.offset + query.pageSize, total)
        self.summary = context.text("listShowing", ["from": String(from), "to": String(to), "total": String(total)])
        self.previousURL = query.page > 1 ? link(["page": String(query.page - 1)]) : nil
        self.nextURL = query.offset + query.pageSize < total ? link(["page": String(query.page + 1)]) : nil
        self.csvURL = link(["format": "csv", "page": nil])
        self.sizes = ListQuery.pageSizes.map { FormField.Option(value: String($0), label: String($0), selected: $0 == query.pageSize) }
        self.hidden = parameters.filter { !["q", "page", "size", "format"].contains($0.0) }.map {
            FormField.Option(value: $0.1, label: $0.0)
        }
    }
}

/// Percent-encoding of query names and values (RFC 3986 unreserved characters kept), for the
/// links pages build.
public enum QueryEncoding {
    static let allowed: Set<Character> = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    /// `text` percent-encoded as UTF-8, every byte but the unreserved characters (and `keeping`)
    /// as `%XX`.
    ///
    /// - Parameters:
    ///   - text: The name or value.
    ///   - keeping: Characters left as they are besides the unreserved ones (`/` in a `next=` path).
    public static func encode(_ text: String, keeping: Set<Character> = []) -> String {
        var encoded = ""
        for byte in text.utf8 {
            let character = Character(Unicode.Scalar(byte))
            if byte < 128, allowed.contains(character) || keeping.contains(character) {
                encoded.append(character)
            } else {
                encoded += String(format: "%%%02X", byte)
            }
        }
        return encoded
    }
}
