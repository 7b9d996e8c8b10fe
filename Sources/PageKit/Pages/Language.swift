/// The language a page is shown in: Swedish by default, English selectable (a cookie the
/// footer's language switch sets).
public enum Language: String, Sendable, Hashable, CaseIterable, Codable {
    /// Swedish, the default.
    case sv
    /// English.
    case en

    /// The language of a `lang` cookie or form value; Swedish for anything else.
    ///
    /// - Parameter code: `sv`, `en` or anything else.
    public init(code: String?) { self = code.flatMap(Language.init(rawValue:)) ?? .sv }
}
