/// A person's gender, for the gender-split reports the funders require.
public enum Gender: String, Sendable, Hashable, Codable, CaseIterable {
    /// Woman.
    case female
    /// Man.
    case male
    /// Another gender identity.
    case other
    /// Not stated.
    case unspecified
}
