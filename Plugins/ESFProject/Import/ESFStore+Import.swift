import CSVKit
import Crypto
import DataAccess
import Foundation
import PluginKit
import Registry

extension ESFStore {
    /// The columns of a participants file; the first five are required.
    static let participantColumns = [
        "identity_number", "name", "gender", "from", "entry_status", "to", "education_level", "homeless", "migrant_background",
        "disability", "other_disadvantaged", "exit_results",
    ]
    /// The columns of a jobs file; all but `to` are required.
    static let jobColumns = ["identity_number", "employer_organisation_number", "from", "employment_form", "share_percent", "to"]

    /// Imports participants or jobs (told by the header) from CSV into a project: every row is
    /// checked first and every bad one reported with its line; then all rows are stored or none.
    /// Re-importing the same file (by SHA-256) changes nothing, and a row already on record is
    /// left as it is.
    ///
    /// - Throws: ``FeatureError`` `.invalidInput` with one ``FieldProblem`` per bad value
    ///   (pointer `/lines/<line>/<column>`); nothing is stored then.
    func importCSV(_ data: [UInt8], project projectId: Int, today: LocalDate, actor: Actor, in tx: Transaction) throws -> ImportReport {
        let project = try openProject(projectId, in: tx)
        // The chunks run the same statements with arrays of thousands of values: a generic plan
        // (chosen after five runs) scans instead of probing the indexes, and takes minutes.
        try tx.execute("SET LOCAL plan_cache_mode = force_custom_plan")
        let digest = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
        let records: [CSVReader.Record]
        do {
            records = try CSVReader.records(in: data)
        } catch {
            // The column's name when the header line could be read, else its position.
            let header = error.line > 1 ? (try? CSVReader.records(in: data.prefix { $0 != UInt8(ascii: "\n") }).first?.fields) : nil
            let column = header.flatMap { $0.indices.contains(error.field - 1) ? $0[error.field - 1] : nil } ?? "field \(error.field)"
            throw Self.rejected([ImportReport.RowError(line: error.line, column: error.code == .invalidUTF8 ? column : "", reason: error.message)])
        }
        guard let header = records.first else {
            throw Self.rejected([
                ImportReport.RowError(line: 1, column: "", reason: "the file is empty; it needs a header line", wording: "importEmpty")
            ])
        }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        let kind: ImportKind = names.contains("entry_status") ? .participants : .jobs
        let (known, required) =
            kind == .participants
            ? (Self.participantColumns, Array(Self.participantColumns.prefix(5))) : (Self.jobColumns, Array(Self.jobColumns.prefix(5)))
        var headerErrors: [ImportReport.RowError] = []
        for name in names where !known.contains(name) {
            let columns = known.joined(separator: ", ")
            headerErrors.append(
                .init(
                    line: 1,
                    column: name,
                    reason: "unknown column; a \(kind.rawValue) file has \(columns)",
                    wording: Wording("importUnknownColumn", ["columns": columns])
                )
            )
        }
        for name in required where !names.contains(name) {
            headerErrors.append(.init(line: 1, column: name, reason: "the required column is missing", wording: "importColumnMissing"))
        }
        guard headerErrors.isEmpty else { throw Self.rejected(headerErrors) }
        let rows = Array(records.dropFirst())
        if try tx.queryFirst("SELECT id FROM esf.imports WHERE project_id = \(projectId) AND sha256 = \(digest) LIMIT 1") != nil {
            var report = ImportReport(kind: kind, rows: rows.count)
            report.unchanged = rows.count
            report.alreadyImported = true
            return report
        }
        var reader = ImportRows(header: names, project: project, today: today)
        var report: ImportReport
        switch kind {
        case .participants: report = try importParticipants(reader.participants(rows), project: project, actor: actor, errors: &reader.errors, in: tx)
        case .jobs: report = try importJobs(reader.jobs(rows), project: project, actor: actor, errors: &reader.errors, in: tx)
        }
        guard reader.errors.isEmpty else { throw Self.rejected(reader.errors) }
        report.rows = rows.count
        try tx.execute(
            """
            INSERT INTO esf.imports (project_id, sha256, kind, rows, created, actor)
            VALUES (\(projectId), \(digest), \(kind.rawValue), \(rows.count), \(report.created), \(actor.name))
            """
        )
        return report
    }

    /// Rows per statement of an import.
    static let importChunk = 5000

    static func rejected(_ errors: [ImportReport.RowError]) -> FeatureError {
        let sorted = errors.sorted { ($0.line, $0.column) < ($1.line, $1.column) }
        return FeatureError(
            .invalidInput,
            "\(sorted.count) problem(s) in the file; nothing was imported",
            problems: sorted.map { FieldProblem(pointer: "/lines/\($0.line)/\($0.column)", detail: $0.reason, wording: $0.wording) }
        )
    }

    func importParticipants(
        _ rows: [ImportRows.ParticipantRow],
        project: Project,
        actor: Actor,
        errors: inout [ImportReport.RowError],
        in tx: Transaction
    ) throws -> ImportReport {
        var report = ImportReport(kind: .participants, rows: rows.count)
        guard errors.isEmpty, !rows.isEmpty else { return report }
        var ensured: (ids: [IdentityNumber: Int], registered: Int) = ([:], 0)
        for start in stride(from: 0, to: rows.count, by: Self.importChunk) {
            let people = rows[start..<min(start + Self.importChunk, rows.count)].map {
                PersonImport(name: $0.name, identityNumber: $0.number, gender: $0.gender)
            }
            let chunk = try registry.ensurePeople(people, actor: actor, in: tx)
            ensured.ids.merge(chunk.ids) { first, _ in first }
            ensured.registered += chunk.registered
        }
        report.peopleRegistered = ensured.registered
        var existing: [Int: (id: Int, from: LocalDate, to: LocalDate?, last: LocalDate)] = [:]
        let personIDs = rows.compactMap { ensured.ids[$0.number] }
        for row in try tx.query(
            "SELECT id, person_id, from_date, to_date, last_entry_on FROM esf.participations WHERE project_id = \(project.id) AND person_id = ANY(\(personIDs)) FOR UPDATE"
        ) {
            existing[try row.decode("person_id")] = (
                try row.decode("id"), try row.decode("from_date"), try row.decode("to_date"), try row.decode("last_entry_on")
            )
        }
        var new: [(person: Int, row: ImportRows.ParticipantRow)] = []
        var reentries: [(id: Int, row: ImportRows.ParticipantRow)] = []
        for row in rows {
            guard let person = ensured.ids[row.number] else { continue }
            guard let known = existing[person] else {
                new.append((person, row))
                continue
            }
            if (row.from == known.from || row.from == known.last) && row.to == known.to {
                report.unchanged += 1
            } else if let end = known.to, row.from > end {
                reentries.append((known.id, row))
            } else {
                let span = "\(known.last)…\(known.to?.description ?? "")"
                errors.append(
                    .init(
                        line: row.line,
                        column: "from",
                        reason: "overlaps the person's participation \(span) in the project",
                        wording: Wording("importOverlap", ["span": span])
                    )
                )
            }
        }
        guard errors.isEmpty else { return report }
        // In chunks, so a file of 100 000 rows never holds every parameter, result row and audit
        // record in memory at once.
        for start in stride(from: 0, to: new.count, by: Self.importChunk) {
            let chunk = new[start..<min(start + Self.importChunk, new.count)]
            func text<T>(_ pick: (ImportRows.ParticipantRow) -> T?, _ show: (T) -> String) -> [String] { chunk.map { pick($0.row).map(show) ?? "" } }
            let inserted = try tx.query(
                """
                WITH inserted AS (
                INSERT INTO esf.participations (project_id, person_id, from_date, to_date, last_entry_on, entry_status, gender, age_at_entry,
                    education_level, homeless, migrant_background, disability, other_disadvantaged, exit_results, exit_recorded_on)
                SELECT \(project.id), r.person, r.from_date::date, NULLIF(r.to_date, '')::date, r.from_date::date, r.status, g.gender,
                    NULLIF(r.age, '')::integer, NULLIF(r.education, ''), NULLIF(r.homeless, '')::boolean, NULLIF(r.migrant, '')::boolean,
                    NULLIF(r.disability, '')::boolean, NULLIF(r.other, '')::boolean, string_to_array(NULLIF(r.results, ''), ','),
                    CASE WHEN r.results <> '' THEN NULLIF(r.to_date, '')::date END
                FROM unnest(\(chunk.map(\.person))::bigint[], \(text({ $0.from }, \.description))::text[], \(text({ $0.to }, \.description))::text[],
                    \(text({ $0.status }, \.rawValue))::text[], \(text({ $0.number.age(on: $0.from) }, String.init))::text[],
                    \(text({ $0.education }, \.rawValue))::text[], \(text({ $0.homeless }, String.init))::text[],
                    \(text({ $0.migrant }, String.init))::text[], \(text({ $0.disability }, String.init))::text[],
                    \(text({ $0.other }, String.init))::text[], \(text({ $0.results }, { $0.map(\.rawValue).joined(separator: ",") }))::text[])
                    AS r(person, from_date, to_date, status, age, education, homeless, migrant, disability, other, results)
                JOIN registry.people g ON g.id = r.person
                RETURNING id, project_id, person_id, from_date, to_date, entry_status, exit_results, exit_recorded_on
                ), periods AS (
                    INSERT INTO esf.participation_periods (participation_id, project_id, from_date, to_date, exit_results, exit_recorded_on)
                    SELECT id, project_id, from_date, to_date, exit_results, exit_recorded_on FROM inserted
                )
                SELECT id, person_id, from_date, to_date, entry_status FROM inserted
                """
            )
            report.created += inserted.count
            try tx.audit(
                actor,
                feature: Self.feature,
                entity: "participation",
                action: "import",
                records: try inserted.map { row in
                    (
                        String(try row.decode("id", as: Int.self)),
                        ImportedAudit(fields: [
                            "projectId": .int(project.id), "personId": .int(try row.decode("person_id")),
                            "from": JSONValue(describing: try row.decode("from_date", as: LocalDate.self)),
                            "to": JSONValue(describing: try row.decode("to_date", as: LocalDate?.self)),
                            "entryStatus": .string(try row.decode("entry_status")),
                        ])
                    )
                }
            )
        }
        for (id, row) in reentries { _ = try reenter(id, from: row.from, to: row.to, actor: actor, in: tx) }
        report.reentered = reentries.count
        let days = new.flatMap { [$0.row.from] + [$0.row.to].compactMap { $0 } } + reentries.map(\.row.from)
        try correctMonths(of: project.id, days, reason: "CSV import", actor: actor, in: tx)
        return report
    }

    func importJobs(
        _ rows: [ImportRows.JobRow],
        project: Project,
        actor: Actor,
        errors: inout [ImportReport.RowError],
        in tx: Transaction
    ) throws -> ImportReport {
        var report = ImportReport(kind: .jobs, rows: rows.count)
        let people = try registry.personIDs(byIdentityNumber: rows.map(\.number), in: tx)
        let employers = try registry.organisations(byNumber: rows.map(\.employer), in: tx)
        var checked: [(person: Int, employer: Int, row: ImportRows.JobRow)] = []
        for row in rows {
            let person = people[row.number]
            if person == nil {
                errors.append(
                    .init(
                        line: row.line,
                        column: "identity_number",
                        reason: "no person with \(row.number.masked) in the registry; import the participants first",
                        wording: Wording("importPersonUnknown", ["number": row.number.masked])
                    )
                )
            }
            let employer = employers[row.employer]
            if employer == nil {
                errors.append(
                    .init(
                        line: row.line,
                        column: "employer_organisation_number",
                        reason: "no organisation with the number \(row.employer) in the registry",
                        wording: Wording("importEmployerUnknown", ["number": row.employer])
                    )
                )
            } else if employer?.kind == .publicBody {
                errors.append(
                    .init(
                        line: row.line,
                        column: "employer_organisation_number",
                        reason: "\(row.employer) is a public body; a job counts in a social enterprise",
                        wording: Wording("importEmployerPublic", ["number": row.employer])
                    )
                )
            }
            if let person, let employer { checked.append((person, employer.id, row)) }
        }
        guard errors.isEmpty, !checked.isEmpty else { return report }
        let inserted = try tx.query(
            """
            INSERT INTO esf.jobs (project_id, person_id, employer_id, from_date, to_date, employment_form, share_percent)
            SELECT \(project.id), r.person, r.employer, r.from_date::date, NULLIF(r.to_date, '')::date, r.form, r.share::numeric
            FROM unnest(\(checked.map(\.person))::bigint[], \(checked.map(\.employer))::bigint[], \(checked.map(\.row.from.description))::text[],
                \(checked.map { $0.row.to?.description ?? "" })::text[], \(checked.map(\.row.form.rawValue))::text[],
                \(checked.map { "\($0.row.share)" })::text[]) AS r(person, employer, from_date, to_date, form, share)
            ON CONFLICT (project_id, person_id, employer_id, from_date) DO NOTHING
            RETURNING id, person_id, employer_id, from_date
            """
        )
        report.created = inserted.count
        report.unchanged = checked.count - inserted.count
        try tx.audit(
            actor,
            feature: Self.feature,
            entity: "job",
            action: "import",
            records: try inserted.map { row in
                (
                    String(try row.decode("id", as: Int.self)),
                    ImportedAudit(fields: [
                        "projectId": .int(project.id), "personId": .int(try row.decode("person_id")),
                        "employerId": .int(try row.decode("employer_id")),
                        "from": JSONValue(describing: try row.decode("from_date", as: LocalDate.self)),
                    ])
                )
            }
        )
        return report
    }
}

struct ImportedAudit: Auditable {
    let fields: [String: JSONValue]
    var auditFields: [String: JSONValue] { fields }
}
