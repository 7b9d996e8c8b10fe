public import Hummingbird
public import PluginKit

/// One page of a list, and the cursor for the next: lists are paged by key, so a page stays
/// right while rows are added.
public struct Page<Item: Sendable & Codable>: Sendable, Codable {
    /// The items of this page.
    public var items: [Item]
    /// Pass as `cursor` to get the next page; `nil` on the last page.
    public var nextCursor: String?

    /// Creates a page.
    public init(items: [Item], nextCursor: String?) {
        self.items = items
        self.nextCursor = nextCursor
    }
}

/// Where a page starts and how long it is: `?limit=50&cursor=…`.
///
/// The cursor is opaque to clients and holds only the id of the previous page's last item (no
/// names, which would end up in access logs), signed (``PageCursor``); the query finds that
/// item's sort key itself, within the caller's reach.
public struct PageRequest: Sendable, Hashable {
    /// The most items on the page (1–``maxLimit``).
    public let limit: Int
    /// The id of the last item of the previous page.
    public let afterID: Int?

    /// The largest page.
    public static let maxLimit = 500

    /// Creates a request.
    ///
    /// - Parameters:
    ///   - limit: The page length; `nil` for 50.
    ///   - cursor: The previous page's `nextCursor`.
    /// - Throws: ``FeatureError`` `.invalidInput` for a limit out of range, `.invalidCursor` (400)
    ///   for a cursor this installation did not make.
    public init(limit: Int? = nil, cursor: String? = nil) throws(FeatureError) {
        self.limit = try Input.number(limit ?? 50, field: "limit", in: 1...Self.maxLimit)
        guard let cursor, !cursor.isEmpty else {
            self.afterID = nil
            return
        }
        guard let id = PageCursor.open(cursor) else {
            throw FeatureError(.invalidCursor, "is not a cursor from a previous page of this list", field: "cursor")
        }
        self.afterID = id
    }

    /// The cursor that continues after the item with this id.
    public static func cursor(after id: Int) -> String { PageCursor.seal(after: id) }

    /// Makes a page from up to `limit + 1` fetched items: the extra one only says there is more.
    public func page<Item>(_ fetched: [Item], id: (Item) -> Int) -> Page<Item> {
        guard fetched.count > limit else { return Page(items: fetched, nextCursor: nil) }
        let items = Array(fetched.prefix(limit))
        return Page(items: items, nextCursor: items.last.map { Self.cursor(after: id($0)) })
    }
}

extension Page: ResponseEncodable {}

extension Page: Equatable where Item: Equatable {}
extension Page: Hashable where Item: Hashable {}
