import DataAccess
import Foundation

/// A job that followed: a person employed by a social enterprise (a registry organisation),
/// counted toward the project's jobs target.
struct Job: Sendable, Hashable, Codable {
    let id: Int
    var projectId: Int
    var personId: Int
    var employerId: Int
    var from: LocalDate
    var to: LocalDate?
    var employmentForm: EmploymentForm
    /// Share of full time in percent.
    var sharePercent: Decimal

    static let columns: SQL = "j.id, j.project_id, j.person_id, j.employer_id, j.from_date, j.to_date, j.employment_form, j.share_percent"

    init(row: Row) throws {
        id = try row.decode("id")
        projectId = try row.decode("project_id")
        personId = try row.decode("person_id")
        employerId = try row.decode("employer_id")
        from = try row.decode("from_date")
        to = try row.decode("to_date")
        employmentForm = try row.decode("employment_form")
        sharePercent = try row.decode("share_percent")
    }
}

/// A new job as the API, CLI and import give it.
struct JobDraft: Sendable, Hashable, Codable {
    var personId: Int
    var employerId: Int
    var from: LocalDate
    var to: LocalDate?
    var employmentForm: EmploymentForm
    var sharePercent: Decimal
}
