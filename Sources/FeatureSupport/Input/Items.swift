public import Hummingbird

/// A list as a JSON object (`{"items": […]}`), so a response can grow fields later without
/// breaking clients that read a bare array.
public struct Items<Item: Codable & Sendable>: ResponseEncodable, Sendable {
    /// The items, in the order the route gives them.
    public var items: [Item]

    /// Wraps `items`.
    public init(items: [Item]) { self.items = items }
}

extension Items: Equatable where Item: Equatable {}
extension Items: Hashable where Item: Hashable {}
