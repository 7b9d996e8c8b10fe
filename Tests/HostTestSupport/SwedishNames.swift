import Foundation

/// Names a Swedish reader sorts with Å, Ä and Ö after Z (issue 22), for the features' tests of
/// their lists' order.
package enum SwedishNames {
    /// Five names in Swedish alphabetical order: Anna, Zacke, Åsa, Ärla, Örjan (one surname).
    package static let inOrder = ["Anna Sorteby", "Zacke Sorteby", "Åsa Sorteby", "Ärla Sorteby", "Örjan Sorteby"]

    /// `names` in the order they first appear in `text` (those not in it left out).
    package static func order(of names: [String] = inOrder, in text: String) -> [String] {
        names.compactMap { name in text.range(of: name).map { (name, $0.lowerBound) } }.sorted { $0.1 < $1.1 }.map(\.0)
    }
}
