/// The special-category attributes of a participant (rule 15: migrant background, disability,
/// other disadvantaged): readable only with `esf.participation.specialCategories` (the
/// coordinator) and never in another role's export.
struct SpecialCategories: Sendable, Hashable, Codable {
    var migrantBackground: Bool?
    var disability: Bool?
    var otherDisadvantaged: Bool?
}
