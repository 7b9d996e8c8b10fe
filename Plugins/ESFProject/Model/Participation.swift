import DataAccess
import Foundation

/// A registry person in an ESF project: first start (kept on re-entry, rule 13), end, status at
/// entry (rule 12), the output-indicator attributes and the results at exit and six months on.
///
/// The special-category attributes (migrant background, disability, other disadvantaged;
/// rule 15, rule 23) are in ``specialCategories`` only for a reader allowed to see them.
struct Participation: Sendable, Hashable, Codable {
    let id: Int
    var projectId: Int
    var personId: Int
    /// The first start: a re-entry keeps it.
    var from: LocalDate
    var to: LocalDate?
    /// The latest entry (the first start unless the person came back).
    var lastEntryOn: LocalDate
    /// How many times the person entered; counts once in every indicator.
    var entries: Int
    var entryStatus: EntryStatus
    /// The gender the registry had on the first start (the indicators' split).
    var gender: String
    /// Age on the first start, from the identity number's birth date (`nil` without one).
    var ageAtEntry: Int?
    var educationLevel: EducationLevel?
    var homeless: Bool?
    var specialCategories: SpecialCategories?
    var exitResults: [ExitResult]?
    var exitRecordedOn: LocalDate?
    var sixMonthResults: [SixMonthResult]?
    var sixMonthRecordedOn: LocalDate?

    static let columns: SQL = """
        p.id, p.project_id, p.person_id, p.from_date, p.to_date, p.last_entry_on, p.entries, p.entry_status, p.gender, p.age_at_entry,
        p.education_level, p.homeless, p.migrant_background, p.disability, p.other_disadvantaged,
        array_to_string(p.exit_results, ',') AS exit_results, p.exit_recorded_on,
        array_to_string(p.six_month_results, ',') AS six_month_results, p.six_month_recorded_on
        """

    /// - Parameter special: Whether the reader may see the special-category attributes.
    init(row: Row, special: Bool) throws {
        id = try row.decode("id")
        projectId = try row.decode("project_id")
        personId = try row.decode("person_id")
        from = try row.decode("from_date")
        to = try row.decode("to_date")
        lastEntryOn = try row.decode("last_entry_on")
        entries = try row.decode("entries")
        entryStatus = try row.decode("entry_status")
        gender = try row.decode("gender")
        ageAtEntry = try row.decode("age_at_entry")
        educationLevel = try row.decode("education_level")
        homeless = try row.decode("homeless")
        specialCategories =
            special
            ? SpecialCategories(
                migrantBackground: try row.decode("migrant_background"),
                disability: try row.decode("disability"),
                otherDisadvantaged: try row.decode("other_disadvantaged")
            ) : nil
        exitResults = try row.decode("exit_results", as: String?.self).map { Self.list($0) }
        exitRecordedOn = try row.decode("exit_recorded_on")
        sixMonthResults = try row.decode("six_month_results", as: String?.self).map { Self.list($0) }
        sixMonthRecordedOn = try row.decode("six_month_recorded_on")
    }

    static func list<Value: RawRepresentable<String>>(_ text: String) -> [Value] {
        text.split(separator: ",").compactMap { Value(rawValue: String($0)) }
    }
}
