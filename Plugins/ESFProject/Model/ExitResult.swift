/// What a participant does on leaving, measured within four weeks of the exit (rule 14); a
/// participant may have several.
enum ExitResult: String, Sendable, Hashable, Codable, CaseIterable {
    case jobSearching
    case inEducation
    case qualification
    case employed
}
