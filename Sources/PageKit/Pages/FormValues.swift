public import Foundation

/// The fields of a posted `application/x-www-form-urlencoded` form, in order; a name may come
/// several times (a grid of checkboxes).
public struct FormValues: Sendable, Hashable {
    /// Every name and value as posted.
    public private(set) var pairs: [(name: String, value: String)]

    /// No fields.
    public init() { pairs = [] }

    /// The given fields.
    public init(_ pairs: [(name: String, value: String)]) { self.pairs = pairs }

    /// Parses a form body (`a=1&b=x+y`); `+` is a space, `%XX` a byte of UTF-8.
    public init(urlEncoded body: String) {
        pairs = body.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ part: Substring) -> String {
                let spaced = part.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            return (decode(parts[0]), parts.count > 1 ? decode(parts[1]) : "")
        }
    }

    /// The first value of `name`, trimmed; `nil` when absent or blank.
    public subscript(_ name: String) -> String? {
        guard let value = pairs.first(where: { $0.name == name })?.value.trimmingCharacters(in: .whitespacesAndNewlines),
            !value.isEmpty
        else { return nil }
        return value
    }

    /// Every value of `name`, in order.
    public func all(_ name: String) -> [String] { pairs.filter { $0.name == name }.map(\.value) }

    /// The first value of `name` exactly as posted (for re-filling a rejected form).
    public func raw(_ name: String) -> String? { pairs.first { $0.name == name }?.value }

    public static func == (lhs: FormValues, rhs: FormValues) -> Bool {
        lhs.pairs.elementsEqual(rhs.pairs) { $0.name == $1.name && $0.value == $1.value }
    }

    public func hash(into hasher: inout Hasher) {
        for pair in pairs {
            hasher.combine(pair.name)
            hasher.combine(pair.value)
        }
    }
}
