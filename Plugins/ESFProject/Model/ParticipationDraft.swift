import DataAccess

/// A person entering a project (or re-entering it, rule 13).
struct ParticipationDraft: Sendable, Hashable, Codable {
    var personId: Int
    var from: LocalDate
    var to: LocalDate?
    /// Exactly one status (rule 12); given as a list, it must hold exactly one.
    var entryStatus: OneOrMore<EntryStatus>?
    var educationLevel: EducationLevel?
    var homeless: Bool?
    var specialCategories: SpecialCategories?
}

/// The end of a participation, with what was measured within four weeks (rule 14).
struct ParticipationExit: Sendable, Hashable, Codable {
    var on: LocalDate
    var results: [ExitResult]?
    /// When the results were measured (default today): within four weeks of `on`.
    var recordedOn: LocalDate?
}

/// The results measured six months after the end (rule 14).
struct SixMonthFollowUp: Sendable, Hashable, Codable {
    var results: [SixMonthResult]
    /// When they were measured (default today): six months or more after the exit.
    var recordedOn: LocalDate?
}

/// A correction of one entry period: its entry day, its end and the results at that end, as
/// they should have been recorded (rule 16: the months the old and the new days touch re-open).
struct ParticipationPeriodCorrection: Sendable, Hashable, Codable {
    var from: LocalDate
    var to: LocalDate?
    var exitResults: [ExitResult]?
    /// When the results were measured: within four weeks of `to` (default: as recorded, or today).
    var exitRecordedOn: LocalDate?
}
