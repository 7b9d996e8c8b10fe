import DataAccess
import Foundation
import HTTPTypes
import HostTestSupport
import Hummingbird
import HummingbirdTesting
import PluginKit
import Registry
import TestSupport
import Testing

@testable import ESFProject
@testable import Education
@testable import Host

/// Erasure (issue 19.7): after a person is erased, no column of any table holds their name,
/// e-mail, phone, address, birth date or identity number, nor a fingerprint that confirms a guess
/// of one, and the counts they are part of stay as they were.
@Suite("Erasure: nothing identifying is left, the counts stay")
struct ErasureTests {
    /// The person to erase: first registered as Linnea Karlsson, then renamed and given a new
    /// e-mail address, so the audit log holds old and new values.
    enum Subject {
        static let oldName = "Linnea Karlsson"
        static let name = "Linnea Hjortsberg"
        static let oldEmail = "linnea.k@example.se"
        static let email = "l.hjortsberg@example.se"
        static let phone = "0701234567"
        static let address = "Storgatan 7, Vänersborg"
        static let number = "19920314-2386"

        /// What must not be found anywhere after the erasure, as `ILIKE` patterns: the names,
        /// contact details, the birth date as the registry and a masked number write it, and the
        /// identity number with and without the dash, in 10 and 12 digits.
        static let values = [
            "Linnea", "Karlsson", "Hjortsberg", oldEmail, email, phone, "070-123", "Storgatan",
            "1992-03-14", "19920314", "920314", "19920314-2386", "199203142386", "920314-2386", "9203142386",
        ]

        /// The keyed fingerprints the audit log has kept of each name and contact detail.
        static func fingerprints(_ vault: IdentityVault) -> [String] {
            [oldName, name, oldEmail, email, phone, address].map {
                String(vault.fingerprint($0).dropFirst("fingerprint:".count))
            }
        }
    }

    /// Every column of every table in every schema that is not PostgreSQL's own, read as text,
    /// that holds one of `patterns` (`schema.table.column: pattern`).
    static func textHits(_ patterns: [String], in database: Database) async throws -> [String] {
        var hits: [String] = []
        for column in try await columns(in: database, bytea: false) {
            for pattern in patterns {
                let n: Int = try await database.query(
                    """
                    SELECT count(*) AS n FROM \(identifier: column.schema).\(identifier: column.table)
                    WHERE \(identifier: column.column)::text ILIKE \("%" + pattern + "%")
                    """
                ).single().decode("n")
                if n > 0 { hits.append("\(column.schema).\(column.table).\(column.column): \(pattern)") }
            }
        }
        return hits
    }

    /// Every bytea column that contains one of `values`.
    static func byteaHits(_ values: [Data], in database: Database) async throws -> [String] {
        var hits: [String] = []
        for column in try await columns(in: database, bytea: true) {
            for (index, value) in values.enumerated() {
                let n: Int = try await database.query(
                    """
                    SELECT count(*) AS n FROM \(identifier: column.schema).\(identifier: column.table)
                    WHERE position(\(value)::bytea IN \(identifier: column.column)) > 0
                    """
                ).single().decode("n")
                if n > 0 { hits.append("\(column.schema).\(column.table).\(column.column): value \(index)") }
            }
        }
        return hits
    }

    static func columns(in database: Database, bytea: Bool) async throws -> [(schema: String, table: String, column: String)] {
        try await database.query(
            """
            SELECT c.table_schema, c.table_name, c.column_name FROM information_schema.columns c
            JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
            WHERE t.table_type = 'BASE TABLE' AND c.table_schema NOT IN ('pg_catalog', 'information_schema')
              AND c.table_schema NOT LIKE 'pg\\_%' AND (c.data_type = 'bytea') = \(bytea)
            ORDER BY 1, 2, 3
            """
        ).map { (try $0.decode("table_schema"), try $0.decode("table_name"), try $0.decode("column_name")) }
    }

    struct Records {
        var subject = 0, leader = 0, circle = 0, project = 0
    }

    /// A study circle of 2006 (the subject among four participants, 14 that year) and an ESF
    /// project the subject entered in 2016 at 23 (under 25), with the subject's name and
    /// e-mail changed once.
    static func make(_ runtime: HostRuntime) async throws -> Records {
        let education = try EducationStore(context: runtime.context(for: "education"))
        let esf = try ESFStore(context: runtime.context(for: "esf"))
        let registry = runtime.registry
        return try await runtime.database.transaction { tx in
            var r = Records()
            let day = LocalDate(year: 2006, month: 9, day: 4)!
            func organisation(_ name: String, _ kind: OrganisationKind) throws -> Int {
                try registry.createOrganisation(
                    OrganisationDraft(name: name, legalForm: .nonProfitAssociation, kind: kind, state: .active),
                    actor: .system,
                    in: tx
                ).id
            }
            let association = try organisation("Studieförbundet", .studyAssociation)
            let owner = try organisation("Paraplyföreningen", .socialEconomyOrganisation)
            func person(_ name: String, _ number: String, _ gender: Gender, contact: ContactDetails? = nil) throws -> Int {
                try registry.createPerson(
                    PersonDraft(name: name, identityNumber: number, gender: gender, contact: contact),
                    today: .today(),
                    reach: .everything,
                    actor: .system,
                    in: tx
                ).id
            }
            r.leader = try person("Märta Ängström", "661109-2344", .female)
            r.subject = try person(
                Subject.oldName,
                Subject.number,
                .female,
                contact: ContactDetails(email: Subject.oldEmail, phone: Subject.phone, address: Subject.address)
            )
            _ = try registry.updatePerson(
                id: r.subject,
                PersonPatch(name: Subject.name, contact: ContactDetails(email: Subject.email, phone: Subject.phone, address: Subject.address)),
                today: .today(),
                reach: .everything,
                actor: .system,
                in: tx
            )
            let others = [
                try person("Jörgen Lindqvist", "780412-3458", .male), try person("Ali Hassan", "880218-9012", .male),
                try person("Åsa Öberg", "850722-4569", .female),
            ]
            r.circle = try education.createCircle(
                CircleDraft(
                    studyAssociationId: association,
                    leaderId: r.leader,
                    subject: "Att starta ett kooperativ",
                    plannedStart: day,
                    plannedEnd: day.adding(days: 60)
                ),
                actor: .system,
                in: tx
            ).id
            for id in [r.subject] + others {
                _ = try education.enrol(EnrolmentDraft(personId: id), inCircle: r.circle, today: day, reach: .everything, actor: .system, in: tx)
            }
            for week in 0..<3 {
                let meeting = try education.addMeeting(
                    MeetingDraft(startsAt: "\(day.adding(days: 7 * week))T18:00", minutes: 135),
                    toCircle: r.circle,
                    reach: .everything,
                    actor: .system,
                    in: tx
                )
                _ = try education.recordAttendance(
                    AttendanceDraft(presentIds: [r.subject] + others),
                    atMeeting: meeting.id,
                    reach: .everything,
                    actor: .system,
                    in: tx
                )
            }
            let draft = ProjectDraft(
                caseNumber: "2015/00254",
                name: "1000 jobb i sociala företag",
                ownerId: owner,
                from: LocalDate(year: 2015, month: 10, day: 1)!,
                to: LocalDate(year: 2018, month: 9, day: 30)!,
                programmeArea: "2",
                jobsTarget: 1000,
                jobsTargetOn: LocalDate(year: 2020, month: 12, day: 31)!
            )
            r.project = try esf.createProject(draft, reach: .everything, actor: .system, in: tx).id
            _ = try esf.changeState(ofProject: r.project, to: .granted, actor: .system, in: tx)
            _ = try esf.changeState(ofProject: r.project, to: .running, actor: .system, in: tx)
            for (index, id) in ([r.subject] + others).enumerated() {
                _ = try esf.enter(
                    ParticipationDraft(
                        personId: id,
                        from: LocalDate(year: 2016, month: 2, day: 1 + index)!,
                        entryStatus: OneOrMore(index == 0 ? .unemployed : .employed)
                    ),
                    project: r.project,
                    special: true,
                    reach: .everything,
                    actor: .system,
                    in: tx
                )
            }
            return r
        }
    }

    /// The counts the erasure must not change: who counts in the circle (and why not), the grant
    /// rules' outcomes, and the project's indicators.
    struct Counts: Equatable {
        var participants: [String]
        var rules: [String]
        var indicators: [String]
    }

    static func counts(_ runtime: HostRuntime, _ r: Records) async throws -> Counts {
        let education = try EducationStore(context: runtime.context(for: "education"))
        let esf = try ESFStore(context: runtime.context(for: "esf"))
        return try await runtime.database.withConnection { db in
            let compliance = try education.compliance(ofCircle: r.circle, reach: .everything, in: db)
            let report = try esf.indicatorReport(
                ofProject: r.project,
                from: LocalDate(year: 2016, month: 1, day: 1)!,
                to: LocalDate(year: 2016, month: 12, day: 31)!,
                special: true,
                in: db
            )
            return Counts(
                participants: compliance.participants.map { "\($0.personId) \($0.counts) \($0.reason ?? "")" }.sorted(),
                rules: compliance.rules.map { "\($0.rule) \($0.passed)" },
                indicators: report.indicators.map { line in
                    "\(line.code) " + [line.total, line.women, line.men, line.other].map { $0?.description ?? "-" }.joined(separator: " ")
                }
            )
        }
    }

    @Test("an erased person's name, e-mail, birth date, number and fingerprints are nowhere; the circle's and the project's counts stay")
    func nothingLeft() async throws {
        let runtime = try await HostFixture.accessRuntime(
            features: "education: { enabled: true }\nesf: { enabled: true }",
            plugins: [EducationPlugin.self, ESFProjectPlugin.self]
        )
        let r = try await Self.make(runtime)
        let database = runtime.database
        let patterns = Subject.values + Subject.fingerprints(HostFixture.testVault)
        let sealed = try await database.query("SELECT identity_cipher, identity_hash FROM registry.people WHERE id = \(r.subject)").single()
        let secrets = [try sealed.decode("identity_cipher", as: Data.self), try sealed.decode("identity_hash", as: Data.self)]

        // Before: the scan finds the person, in the audit log too (fingerprints, masked number).
        let found = try await Self.textHits(patterns, in: database)
        #expect(found.contains { $0.hasPrefix("registry.people.name:") })
        #expect(found.contains { $0.hasPrefix("kernel.audit_log.") && $0.hasSuffix(": 19920314") })
        #expect(Subject.fingerprints(HostFixture.testVault).allSatisfy { code in found.contains { $0.hasSuffix(": \(code)") } })
        #expect(try await Self.byteaHits(secrets, in: database).count == 2)
        let before = try await Self.counts(runtime, r)
        #expect(before.participants.contains("\(r.subject) true "))
        #expect(before.indicators.contains("CO06 1 1 0 0"))  // the subject, 23 at entry
        let version: Int = try await database.query("SELECT facts_version FROM education.circles WHERE id = \(r.circle)").single()
            .decode("facts_version")

        // Erase through the API, as an admin.
        _ = try await runtime.users.add(name: "eraser", displayName: nil, role: .admin, organisationID: nil, actor: .system)
        let token = try await runtime.users.issueToken(user: "eraser", days: 1, label: nil, actor: .system).1
        try await buildApplication(runtime: runtime).test(.router) { client in
            let response = try await client.execute(
                uri: "/api/v1/registry/people/\(r.subject)/erasure",
                method: .post,
                headers: [.authorization: "Bearer \(token)"]
            )
            #expect(response.status == .ok)
            // The database is one of the application's services: check while it runs.
            // The event reaches education (delivered here or by the running dispatcher).
            _ = try await runtime.dispatcher.dispatchPending()
            var factsVersion = version
            for _ in 0..<400 where factsVersion == version {
                try await Task.sleep(for: .milliseconds(25))
                factsVersion = try await database.query("SELECT facts_version FROM education.circles WHERE id = \(r.circle)").single()
                    .decode("facts_version")
            }
            // Education forgot its verdicts on the circle (they named the person).
            #expect(factsVersion > version)

            // After: nothing, in any column of any table.
            let left = try await Self.textHits(patterns, in: database)
            #expect(left.isEmpty, "\(left)")
            let bytes = try await Self.byteaHits(secrets, in: database)
            #expect(bytes.isEmpty, "\(bytes)")
            // The counts stay: the birth year (kept) decides the age rule; the ages at entry stay.
            #expect(try await Self.counts(runtime, r) == before)
            let year: Int? = try await database.query("SELECT birth_year FROM registry.people WHERE id = \(r.subject)").single().decode("birth_year")
            #expect(year == 1992)
            // The erasure's own row says who erased whom and when, and nothing of what was erased;
            // the person's earlier rows keep their keys with the values redacted.
            let erasure = try await database.query(
                "SELECT actor, before::text AS before, after::text AS after FROM kernel.audit_log WHERE feature = 'registry' AND entity_id = \(String(r.subject)) AND action = 'erase'"
            ).single()
            #expect(try erasure.decode("actor", as: String.self) == "eraser")
            #expect(try erasure.decode("before", as: String?.self) == nil)
            #expect(try erasure.decode("after", as: String?.self) == nil)
            let update = try await database.query(
                "SELECT before->>'name' AS name, after->>'email' AS email FROM kernel.audit_log WHERE entity = 'person' AND entity_id = \(String(r.subject)) AND action = 'update'"
            ).single()
            #expect(try update.decode("name", as: String.self) == "erased")
            #expect(try update.decode("email", as: String.self) == "erased")
        }
        await runtime.shutdown()
    }

    @Test("the audit log takes no change but the redaction of an erased person, and only through the registry's function")
    func redactionIsNarrow() async throws {
        let runtime = try await HostFixture.accessRuntime(
            features: "education: { enabled: true }\nesf: { enabled: true }",
            plugins: [EducationPlugin.self, ESFProjectPlugin.self]
        )
        let database = runtime.database
        let id = try await database.transaction { tx in
            try runtime.registry.createPerson(
                PersonDraft(name: "Linnea Hjortsberg", identityNumber: Subject.number, gender: .female),
                today: .today(),
                reach: .everything,
                actor: .system,
                in: tx
            ).id
        }
        // Not erased: the function refuses.
        await #expect(throws: DatabaseError.self) { try await database.query("SELECT registry.redact_erased_person_audit(\(id))") }
        // Anything but a redaction is refused, whoever updates; deleting too.
        for statement: SQL in [
            "UPDATE kernel.audit_log SET action = 'changed' WHERE entity_id = \(String(id))",
            "UPDATE kernel.audit_log SET after = after || '{\"name\": \"someone else\"}' WHERE entity_id = \(String(id))",
            "UPDATE kernel.audit_log SET after = after || '{\"extra\": \"erased\"}' WHERE entity_id = \(String(id))",
            "DELETE FROM kernel.audit_log WHERE entity_id = \(String(id))",
        ] {
            await #expect(throws: DatabaseError.self) { try await database.query(statement) }
        }
        _ = try await database.transaction { tx in try runtime.registry.erasePerson(id: id, actor: .system, in: tx) }
        let create = try await database.query(
            "SELECT after::text AS after FROM kernel.audit_log WHERE entity = 'person' AND entity_id = \(String(id)) AND action = 'create'"
        ).single()
        let fields = try JSONSerialization.jsonObject(with: Data(try create.decode("after", as: String.self).utf8)) as? [String: Any]
        #expect(fields?["name"] as? String == "erased")
        #expect(fields?["identityNumber"] as? String == "erased")
        #expect(fields?["gender"] as? String == "female")
        #expect(fields?["email"] is NSNull)  // none was given: nothing to redact
        // Running it again changes nothing.
        #expect(try await database.query("SELECT registry.redact_erased_person_audit(\(id)) AS n").single().decode("n", as: Int.self) == 0)
        await runtime.shutdown()
    }
}
