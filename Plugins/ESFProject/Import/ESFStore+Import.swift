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
        // The registry's lookups bind arrays of thousands of values: a generic plan (chosen after
        // five runs) scans instead of probing the indexes, and takes minutes.
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
        var (report, ids): (ImportReport, ImportedIDs)
        switch kind {
        case .participants:
            (report, ids) = try importParticipants(reader.participants(rows), project: project, actor: actor, errors: &reader.errors, in: tx)
        case .jobs: (report, ids) = try importJobs(reader.jobs(rows), project: project, actor: actor, errors: &reader.errors, in: tx)
        }
        guard reader.errors.isEmpty else { throw Self.rejected(reader.errors) }
        report.rows = rows.count
        let importId: Int = try tx.query(
            """
            INSERT INTO esf.imports (project_id, sha256, kind, rows, created, actor)
            VALUES (\(projectId), \(digest), \(kind.rawValue), \(rows.count), \(report.created), \(actor.name))
            RETURNING id
            """
        ).single().decode("id")
        // One audit row per import, listing the ids it created and re-entered (participations or
        // jobs, as `kind` says); the registry audits each person it registered.
        try tx.audit(
            actor,
            feature: Self.feature,
            entity: "import",
            id: importId,
            action: "import",
            after: ImportedAudit(fields: [
                "projectId": .int(projectId), "kind": .string(kind.rawValue), "sha256": .string(digest), "rows": .int(rows.count),
                "created": .array(ids.created.map(JSONValue.int)), "reentered": .array(ids.reentered.map(JSONValue.int)),
                "unchanged": .int(report.unchanged), "peopleRegistered": .int(report.peopleRegistered),
            ])
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
    ) throws -> (report: ImportReport, ids: ImportedIDs) {
        var report = ImportReport(kind: .participants, rows: rows.count)
        var ids = ImportedIDs()
        guard errors.isEmpty, !rows.isEmpty else { return (report, ids) }
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
        // The checked rows go into a staging table with COPY; the checks that need the database
        // and the writes are then one statement each, whatever the number of rows.
        try tx.execute("DROP TABLE IF EXISTS pg_temp.esf_import_participants")
        try tx.execute(
            """
            CREATE TEMP TABLE esf_import_participants (
                line integer PRIMARY KEY, person bigint NOT NULL, from_date date NOT NULL, to_date date, entry_status text NOT NULL,
                age integer, education text, homeless boolean, migrant boolean, disability boolean, other boolean, results text[],
                outcome text, participation bigint
            ) ON COMMIT DROP
            """
        )
        func flag(_ value: Bool?) -> String? { value.map { $0 ? "t" : "f" } }
        try tx.copy(
            into: "pg_temp.esf_import_participants",
            columns: [
                "line", "person", "from_date", "to_date", "entry_status", "age", "education", "homeless", "migrant", "disability", "other",
                "results",
            ],
            rows: rows.lazy.compactMap { row -> [String?]? in
                guard let person = ensured.ids[row.number] else { return nil }
                return [
                    String(row.line), String(person), row.from.description, row.to?.description, row.status.rawValue,
                    String(row.number.age(on: row.from)), row.education?.rawValue, flag(row.homeless), flag(row.migrant),
                    flag(row.disability), flag(row.other),
                    row.results.flatMap { $0.isEmpty ? nil : "{" + $0.map(\.rawValue).joined(separator: ",") + "}" },
                ]
            }
        )
        try tx.execute("ANALYZE pg_temp.esf_import_participants")
        // A row whose person is already in the project: the same entry (unchanged), a re-entry
        // after the recorded end, or an overlap, which is reported at its line.
        let overlaps = try tx.query(
            SQL(
                """
                WITH existing AS (
                    SELECT s.line, p.id, p.to_date, p.last_entry_on,
                        CASE WHEN (s.from_date = p.from_date OR s.from_date = p.last_entry_on) AND s.to_date IS NOT DISTINCT FROM p.to_date
                            THEN 'unchanged' WHEN s.from_date > p.to_date THEN 'reenter' ELSE 'overlap' END AS outcome
                    FROM pg_temp.esf_import_participants s
                    JOIN esf.participations p ON p.project_id = \(project.id) AND p.person_id = s.person
                    FOR UPDATE OF p
                ), marked AS (
                    UPDATE pg_temp.esf_import_participants s SET outcome = e.outcome, participation = e.id
                    FROM existing e WHERE s.line = e.line
                    RETURNING s.line, e.outcome, e.last_entry_on, e.to_date
                )
                SELECT line, last_entry_on, to_date FROM marked WHERE outcome = 'overlap' ORDER BY line
                """
            ).plannedForEachRun()
        )
        for row in overlaps {
            let last: LocalDate = try row.decode("last_entry_on")
            let end: LocalDate? = try row.decode("to_date")
            let span = "\(last)…\(end?.description ?? "")"
            errors.append(
                .init(
                    line: try row.decode("line"),
                    column: "from",
                    reason: "overlaps the person's participation \(span) in the project",
                    wording: Wording("importOverlap", ["span": span])
                )
            )
        }
        guard errors.isEmpty else { return (report, ids) }
        let inserted = try tx.queryFirst(
            SQL(
                """
                WITH inserted AS (
                    INSERT INTO esf.participations (project_id, person_id, from_date, to_date, last_entry_on, entry_status, gender, age_at_entry,
                        education_level, homeless, migrant_background, disability, other_disadvantaged, exit_results, exit_recorded_on)
                    SELECT \(project.id), s.person, s.from_date, s.to_date, s.from_date, s.entry_status, g.gender, s.age, s.education, s.homeless,
                        s.migrant, s.disability, s.other, s.results, CASE WHEN cardinality(s.results) > 0 THEN s.to_date END
                    FROM pg_temp.esf_import_participants s
                    JOIN registry.people g ON g.id = s.person
                    WHERE s.outcome IS NULL
                    ORDER BY s.line
                    RETURNING id, project_id, from_date, to_date, exit_results, exit_recorded_on
                ), periods AS (
                    INSERT INTO esf.participation_periods (participation_id, project_id, from_date, to_date, exit_results, exit_recorded_on)
                    SELECT id, project_id, from_date, to_date, exit_results, exit_recorded_on FROM inserted
                )
                SELECT string_agg(id::text, ',' ORDER BY id) AS ids FROM inserted
                """
            ).plannedForEachRun()
        )
        ids.created = Self.idList(try inserted?.decode("ids", as: String?.self))
        let reentered = try tx.queryFirst(
            SQL(
                """
                WITH reentered AS (
                    UPDATE esf.participations p SET to_date = s.to_date, last_entry_on = s.from_date, entries = p.entries + 1,
                        exit_results = NULL, exit_recorded_on = NULL, six_month_results = NULL, six_month_recorded_on = NULL
                    FROM pg_temp.esf_import_participants s
                    WHERE s.outcome = 'reenter' AND p.id = s.participation
                    RETURNING p.id, p.project_id, s.from_date, s.to_date
                ), periods AS (
                    INSERT INTO esf.participation_periods (participation_id, project_id, from_date, to_date)
                    SELECT id, project_id, from_date, to_date FROM reentered
                )
                SELECT string_agg(id::text, ',' ORDER BY id) AS ids FROM reentered
                """
            ).plannedForEachRun()
        )
        ids.reentered = Self.idList(try reentered?.decode("ids", as: String?.self))
        report.created = ids.created.count
        report.reentered = ids.reentered.count
        // The months the new entries touch (their starts and ends, a re-entry's start) are
        // corrected as before.
        let summary = try tx.query(
            SQL(
                """
                SELECT count(*) FILTER (WHERE outcome = 'unchanged') AS unchanged,
                    least(min(from_date) FILTER (WHERE outcome IS NULL OR outcome = 'reenter'), min(to_date) FILTER (WHERE outcome IS NULL)) AS earliest
                FROM pg_temp.esf_import_participants
                """
            ).plannedForEachRun()
        ).single()
        report.unchanged = try summary.decode("unchanged")
        let earliest: LocalDate? = try summary.decode("earliest")
        try correctMonths(of: project.id, earliest.map { [$0] } ?? [], reason: "CSV import", actor: actor, in: tx)
        return (report, ids)
    }

    /// Ids from `string_agg(id::text, ',')`.
    static func idList(_ text: String?) -> [Int] {
        guard let text, !text.isEmpty else { return [] }
        return text.split(separator: ",").compactMap { Int($0) }
    }

    func importJobs(
        _ rows: [ImportRows.JobRow],
        project: Project,
        actor: Actor,
        errors: inout [ImportReport.RowError],
        in tx: Transaction
    ) throws -> (report: ImportReport, ids: ImportedIDs) {
        var report = ImportReport(kind: .jobs, rows: rows.count)
        var ids = ImportedIDs()
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
        guard errors.isEmpty, !checked.isEmpty else { return (report, ids) }
        let inserted = try tx.queryFirst(
            """
            WITH inserted AS (
            INSERT INTO esf.jobs (project_id, person_id, employer_id, from_date, to_date, employment_form, share_percent)
            SELECT \(project.id), r.person, r.employer, r.from_date::date, NULLIF(r.to_date, '')::date, r.form, r.share::numeric
            FROM unnest(\(checked.map(\.person))::bigint[], \(checked.map(\.employer))::bigint[], \(checked.map(\.row.from.description))::text[],
                \(checked.map { $0.row.to?.description ?? "" })::text[], \(checked.map(\.row.form.rawValue))::text[],
                \(checked.map { "\($0.row.share)" })::text[]) AS r(person, employer, from_date, to_date, form, share)
            ON CONFLICT (project_id, person_id, employer_id, from_date) DO NOTHING
            RETURNING id
            )
            SELECT string_agg(id::text, ',' ORDER BY id) AS ids FROM inserted
            """
        )
        ids.created = Self.idList(try inserted?.decode("ids", as: String?.self))
        report.created = ids.created.count
        report.unchanged = checked.count - ids.created.count
        return (report, ids)
    }
}

/// The ids an import created or re-entered, listed in its one audit row.
struct ImportedIDs {
    var created: [Int] = []
    var reentered: [Int] = []
}

/// The audit row of one import.
struct ImportedAudit: Auditable {
    let fields: [String: JSONValue]
    var auditFields: [String: JSONValue] { fields }
}
