import CSVKit
import DataAccess
import FeatureSupport
import Foundation
import PluginKit
import Registry

/// Turns the lines of an import file into checked rows, collecting every bad value with its
/// line and column instead of stopping at the first.
struct ImportRows {
    let header: [String]
    let project: Project
    let today: LocalDate
    var errors: [ImportReport.RowError] = []

    let columns: [String: Int]

    init(header: [String], project: Project, today: LocalDate) {
        self.header = header
        self.columns = Dictionary(header.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        self.project = project
        self.today = today
    }

    struct ParticipantRow: Sendable {
        var line: Int
        var number: IdentityNumber
        var name: String
        var gender: Gender
        var from: LocalDate
        var to: LocalDate?
        var status: EntryStatus
        var education: EducationLevel?
        var homeless: Bool?
        var migrant: Bool?
        var disability: Bool?
        var other: Bool?
        var results: [ExitResult]?
    }

    struct JobRow: Sendable {
        var line: Int
        var number: IdentityNumber
        var employer: String
        var from: LocalDate
        var to: LocalDate?
        var form: EmploymentForm
        var share: Decimal
    }

    /// One record's fields, read by column name.
    struct Fields {
        let values: [String]
        let columns: [String: Int]

        subscript(column: String) -> String? {
            guard let index = columns[column] else { return nil }
            let value = values[index]
            // Most fields have no surrounding blanks; Foundation's trimming is kept for those that do.
            guard let first = value.utf8.first, let last = value.utf8.last else { return value }
            guard first == 32 || first == 9 || last == 32 || last == 9 else { return value }
            return value.trimmingCharacters(in: .whitespaces)
        }
    }

    /// The fields of one record, or `nil` (with an error) when the count is off.
    mutating func fields(_ record: CSVReader.Record) -> Fields? {
        guard record.fields.count == header.count else {
            fail(
                record.line,
                "",
                "has \(record.fields.count) fields, the header \(header.count)",
                Wording("importFieldCount", ["count": "\(record.fields.count)", "header": "\(header.count)"])
            )
            return nil
        }
        return Fields(values: record.fields, columns: columns)
    }

    /// Records a bad value: the English reason for the API, the catalogue's wording for the page.
    mutating func fail(_ line: Int, _ column: String, _ reason: String, _ wording: Wording?) {
        errors.append(ImportReport.RowError(line: line, column: column, reason: reason, wording: wording))
    }

    mutating func identityNumber(_ fields: Fields, line: Int) -> IdentityNumber? {
        guard let text = fields["identity_number"], !text.isEmpty else {
            fail(line, "identity_number", "missing", "importMissing")
            return nil
        }
        do {
            return try IdentityNumber(parsing: text, today: today)
        } catch {
            fail(line, "identity_number", error.message, error.wording)
            return nil
        }
    }

    mutating func date(_ fields: Fields, _ column: String, line: Int, required: Bool) -> LocalDate?? {
        guard let text = fields[column], !text.isEmpty else {
            if required {
                fail(line, column, "missing", "importMissing")
                return nil
            }
            return .some(nil)
        }
        do {
            return .some(try LocalDate(input: text))
        } catch {
            fail(line, column, error.message, FeatureError(error, field: nil).wording)
            return nil
        }
    }

    mutating func value<Value: RawRepresentable<String> & CaseIterable>(
        _ fields: Fields,
        _ column: String,
        line: Int
    ) -> Value?? {
        guard let text = fields[column], !text.isEmpty else { return .some(nil) }
        guard let value = Value(rawValue: text) else {
            let choices = Value.allCases.map(\.rawValue).joined(separator: ", ")
            fail(line, column, "'\(text)' is not one of \(choices)", Wording("importNotOneOf", ["value": text, "choices": choices]))
            return nil
        }
        return .some(value)
    }

    mutating func flag(_ fields: Fields, _ column: String, line: Int) -> Bool?? {
        guard let text = fields[column]?.lowercased(), !text.isEmpty else { return .some(nil) }
        switch text {
        case "yes", "true", "1", "ja": return .some(true)
        case "no", "false", "0", "nej": return .some(false)
        default:
            fail(line, column, "'\(text)' is not yes or no", Wording("importNotYesNo", ["value": text]))
            return nil
        }
    }

    /// Checks the period: a valid start inside the project, an end not before it.
    mutating func period(_ fields: Fields, line: Int, latest: LocalDate? = nil) -> (LocalDate, LocalDate?)? {
        let latest = latest ?? project.to
        guard let from = date(fields, "from", line: line, required: true), let to = date(fields, "to", line: line, required: false) else {
            return nil
        }
        guard let from else { return nil }
        if let to, to < from {
            fail(line, "to", "the end (\(to)) is before the start (\(from))", Wording("importEndBeforeStart", ["to": "\(to)", "from": "\(from)"]))
            return nil
        }
        guard from >= project.from, from <= latest else {
            fail(
                line,
                "from",
                "\(from) is outside the project's period \(project.from)…\(latest)",
                Wording("importOutsidePeriod", ["day": "\(from)", "from": "\(project.from)", "to": "\(latest)"])
            )
            return nil
        }
        if let to, to > today {
            fail(line, "to", "the end (\(to)) is in the future", Wording("importEndInFuture", ["to": "\(to)"]))
            return nil
        }
        return (from, to)
    }

    mutating func participants(_ records: [CSVReader.Record]) -> [ParticipantRow] {
        var rows: [ParticipantRow] = []
        var firstLine: [IdentityNumber: Int] = [:]
        for record in records {
            guard let fields = fields(record) else { continue }
            let line = record.line
            let before = errors.count
            let number = identityNumber(fields, line: line)
            var name = ""
            do {
                name = try Input.text(fields["name"] ?? "", field: "name")
            } catch {
                fail(line, "name", error.message, error.wording)
            }
            let gender: Gender?? = value(fields, "gender", line: line)
            if case .some(.none) = gender {
                let choices = Gender.allCases.map(\.rawValue).joined(separator: ", ")
                fail(line, "gender", "missing: one of \(choices)", Wording("importMissingChoice", ["choices": choices]))
            }
            let period = period(fields, line: line)
            let statusText = fields["entry_status"] ?? ""
            let statuses = statusText.split(whereSeparator: { $0 == "|" || $0 == "+" || $0 == "/" }).map { $0.trimmingCharacters(in: .whitespaces) }
            var status: EntryStatus?
            if statuses.isEmpty {
                fail(line, "entry_status", "missing: exactly one status at entry (rule 12)", "importStatusMissing")
            } else if statuses.count > 1 {
                fail(
                    line,
                    "entry_status",
                    "\(statuses.count) statuses given (\(statusText)); a participant has exactly one at entry (rule 12)",
                    Wording("importStatusMany", ["count": "\(statuses.count)", "statuses": statusText])
                )
            } else {
                status = value(fields, "entry_status", line: line) ?? nil
            }
            let education: EducationLevel?? = value(fields, "education_level", line: line)
            let homeless = flag(fields, "homeless", line: line)
            let migrant = flag(fields, "migrant_background", line: line)
            let disability = flag(fields, "disability", line: line)
            let other = flag(fields, "other_disadvantaged", line: line)
            var results: [ExitResult]?
            if let text = fields["exit_results"], !text.isEmpty {
                results = []
                for part in text.split(separator: "|").map({ $0.trimmingCharacters(in: .whitespaces) }) {
                    if let result = ExitResult(rawValue: part) {
                        results?.append(result)
                    } else {
                        let choices = ExitResult.allCases.map(\.rawValue).joined(separator: ", ")
                        fail(
                            line,
                            "exit_results",
                            "'\(part)' is not one of \(choices)",
                            Wording("importNotOneOf", ["value": part, "choices": choices])
                        )
                    }
                }
                if period?.1 == nil, period != nil { fail(line, "exit_results", "results at exit need the end (to)", "importResultsNeedEnd") }
            }
            if let number {
                if let earlier = firstLine[number] {
                    fail(
                        line,
                        "identity_number",
                        "the same person as on line \(earlier); one line per person and project",
                        Wording("importSamePerson", ["line": "\(earlier)"])
                    )
                } else {
                    firstLine[number] = line
                }
            }
            guard errors.count == before, let number, let (from, to) = period, let status, let gender = gender ?? nil, let education,
                let homeless, let migrant, let disability, let other
            else { continue }
            rows.append(
                ParticipantRow(
                    line: line,
                    number: number,
                    name: name,
                    gender: gender,
                    from: from,
                    to: to,
                    status: status,
                    education: education,
                    homeless: homeless,
                    migrant: migrant,
                    disability: disability,
                    other: other,
                    results: results
                )
            )
        }
        return rows
    }

    mutating func jobs(_ records: [CSVReader.Record]) -> [JobRow] {
        var rows: [JobRow] = []
        for record in records {
            guard let fields = fields(record) else { continue }
            let line = record.line
            let before = errors.count
            let number = identityNumber(fields, line: line)
            var employer = ""
            do {
                employer = try OrganisationNumber(parsing: fields["employer_organisation_number"] ?? "").digits
            } catch {
                fail(line, "employer_organisation_number", error.message, error.wording)
            }
            // A job may follow after the project's end, up to the jobs target's day.
            let period = period(fields, line: line, latest: max(project.to, project.jobsTargetOn ?? project.to))
            let form: EmploymentForm?? = value(fields, "employment_form", line: line)
            if case .some(.none) = form { fail(line, "employment_form", "missing", "importMissing") }
            let shareText = fields["share_percent"] ?? ""
            let share = Decimal(string: shareText, locale: Locale(identifier: "en_US_POSIX"))
            if share == nil || share! <= 0 || share! > 100 {
                fail(
                    line,
                    "share_percent",
                    "'\(shareText)' is not a share of full time above 0 and at most 100",
                    Wording("importShare", ["value": shareText])
                )
            }
            guard errors.count == before, let number, let (from, to) = period, let form = form ?? nil, let share else { continue }
            rows.append(JobRow(line: line, number: number, employer: employer, from: from, to: to, form: form, share: share))
        }
        return rows
    }
}
