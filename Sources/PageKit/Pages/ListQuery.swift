public import DataAccess
import FeatureSupport
public import Hummingbird
public import PluginKit

/// What a list page was asked for: a search text (`?q=`), a sort column (`?sort=` among the
/// list's own keys) and direction (`?order=desc`), and a page (`?page=2`, `?size=50`).
///
/// ```swift
/// let query = try ListQuery(request, sortKeys: ["name", "number"], defaultSort: "name")
/// let order = query.orderBy(["name": "o.name", "number": "o.organisation_number"], then: "o.id")
/// ```
public struct ListQuery: Sendable, Hashable {
    /// The search text, trimmed; `nil` for none.
    public let text: String?
    /// The sort key, one of the list's.
    public let sort: String
    /// Whether the order is descending.
    public let descending: Bool
    /// The page, from 1.
    public let page: Int
    /// The rows per page.
    public let pageSize: Int

    /// The page sizes offered.
    public static let pageSizes = [25, 50, 100]
    /// The most rows a CSV download of a list holds.
    public static let downloadLimit = 10_000

    /// Reads the query of a list page.
    ///
    /// - Parameters:
    ///   - request: The request.
    ///   - sortKeys: The columns the list sorts by.
    ///   - defaultSort: The sort key without `?sort=`.
    /// - Throws: ``FeatureError`` `.invalidInput` naming the parameter: an unknown sort key, a
    ///   page below 1, a size not offered, a search text over 200 characters.
    public init(_ request: Request, sortKeys: [String], defaultSort: String) throws(FeatureError) {
        let sort = request.queryText("sort") ?? defaultSort
        guard sortKeys.contains(sort) else {
            throw FeatureError(.invalidInput, "sort by one of \(sortKeys.joined(separator: ", "))", field: "sort")
        }
        let order = request.queryText("order") ?? "asc"
        guard order == "asc" || order == "desc" else { throw FeatureError(.invalidInput, "order is asc or desc", field: "order") }
        let page = try request.queryInt("page") ?? 1
        guard page >= 1, page <= 1_000_000 else { throw FeatureError(.invalidInput, "a page is 1 or more", field: "page") }
        let size = try request.queryInt("size") ?? Self.pageSizes[0]
        guard Self.pageSizes.contains(size) else {
            throw FeatureError(.invalidInput, "a page has \(Self.pageSizes.map(String.init).joined(separator: ", ")) rows", field: "size")
        }
        self.text = try Input.optionalText(request.queryText("q"), field: "q")
        self.sort = sort
        self.descending = order == "desc"
        self.page = page
        self.pageSize = size
    }

    /// The rows to skip for this page.
    public var offset: Int { (page - 1) * pageSize }

    /// The `ORDER BY` list: the chosen column in the chosen direction, then `tieBreaker` so
    /// the order is stable across pages.
    ///
    /// - Parameters:
    ///   - columns: Each sort key's SQL expression (constants of the caller, never input).
    ///   - tieBreaker: A unique column (`o.id`).
    public func orderBy(_ columns: [String: SQL], then tieBreaker: SQL) -> SQL {
        let direction: SQL = descending ? "DESC" : "ASC"
        guard let column = columns[sort] else { return "\(tieBreaker) \(direction)" }
        return "\(column) \(direction) NULLS LAST, \(tieBreaker) \(direction)"
    }
}
