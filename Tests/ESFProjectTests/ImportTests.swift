import DataAccess
import FeatureSupport
import Foundation
import PluginKit
import PropertyBased
import Registry
import TestSupport
import Testing

@testable import ESFProject

@Suite("ESF CSV import")
struct ImportTests {
    typealias F = ESFFixture

    static let header =
        "identity_number,name,gender,from,to,entry_status,education_level,homeless,migrant_background,disability,other_disadvantaged,exit_results"

    /// A file with one good row and seventeen kinds of bad ones; `expectedErrors` is its error report.
    static let badFile = """
        \(header)
        19800110-3004,Good Row,female,2016-01-11,,unemployed,,no,no,no,no,
        19810211-3019,Too Few,male,2016-01-11
        19850505-1239,Bad Check,male,2016-01-11,,unemployed,,,,,,
        19851332-3024,No Such Day,male,2016-01-11,,unemployed,,,,,,
        ,No Number,male,2016-01-11,,unemployed,,,,,,
        19830413-3039,,male,2016-01-11,,unemployed,,,,,,
        19840514-3044,Bad Gender,woman,2016-01-11,,unemployed,,,,,,
        19850615-3058,Bad Start,female,2016-02-30,,unemployed,,,,,,
        19860716-3063,End First,female,2016-03-01,2016-02-01,unemployed,,,,,,
        19870817-3078,No Status,female,2016-03-01,,,,,,,,
        19880918-3083,Two Statuses,female,2016-03-01,,unemployed|employed,,,,,,
        19891019-3096,Odd Status,female,2016-03-01,,retired,,,,,,
        19901120-3107,Odd Level,female,2016-03-01,,employed,isced9,,,,,
        19911221-3112,Odd Flag,female,2016-03-01,,employed,,maybe,,,,
        19920122-3121,Odd Result,female,2016-03-01,2016-06-01,employed,,,,,,famous
        19930223-3136,Result No End,female,2016-03-01,,employed,,,,,,employed
        19940324-3141,Too Early,female,2014-01-01,,employed,,,,,,
        19800110-3004,Twice,female,2016-05-01,,unemployed,,,,,,
        19950425-3155,Future End,female,2016-03-01,2030-01-01,employed,,,,,,

        """

    static let expectedErrors: [(line: Int, column: String)] = [
        (3, ""), (4, "identity_number"), (5, "identity_number"), (6, "identity_number"), (7, "name"), (8, "gender"), (9, "from"), (10, "to"),
        (11, "entry_status"), (12, "entry_status"), (13, "entry_status"), (14, "education_level"), (15, "homeless"), (16, "exit_results"),
        (17, "exit_results"), (18, "from"), (19, "identity_number"), (20, "to"),
    ]

    static func run(_ f: F, _ text: String) async throws -> ImportReport {
        try await f.write { s, tx in try s.importCSV(Array(text.utf8), project: f.project, today: F.today, actor: F.actor, in: tx) }
    }

    @Test("every bad row is reported with its line and column, seventeen kinds of them, and nothing is stored")
    func errorReport() async throws {
        try await F.with { f async throws in
            let people: Int = try await f.database.query("SELECT count(*) AS n FROM registry.people").single().decode("n")
            let error = await #expect(throws: FeatureError.self) { try await Self.run(f, Self.badFile) }
            let found = error?.problems.map(\.pointer) ?? []
            #expect(found == Self.expectedErrors.map { "/lines/\($0.line)/\($0.column)" })
            #expect(error?.problems.first { $0.pointer == "/lines/12/entry_status" }?.detail.contains("exactly one") == true)
            #expect(error?.problems.first { $0.pointer == "/lines/4/identity_number" }?.detail.contains("check digit") == true)
            #expect(error?.problems.first { $0.pointer == "/lines/19/identity_number" }?.detail.contains("line 2") == true)
            #expect(error?.message.contains("nothing was imported") == true)
            #expect(try await f.count("participations") == 0)
            #expect(try await f.count("imports") == 0)
            #expect(try await f.database.query("SELECT count(*) AS n FROM registry.people").single().decode("n", as: Int.self) == people)
        }
    }

    @Test("a good file registers unknown people, creates participations, and importing it again changes nothing")
    func idempotent() async throws {
        try await F.with { f async throws in
            let known = try await f.person("Redan Känd", born: "1981-02-11", serial: 301)
            let file = """
                \(Self.header)
                19800110-3004,Ny Person,female,2016-01-11,2016-05-31,unemployed,tertiary,no,yes,no,no,employed
                19810211-3019,Känd Person,male,2016-02-01,,longTermUnemployed,,,,,,

                """
            let first = try await Self.run(f, file)
            #expect(first.created == 2)
            #expect(first.peopleRegistered == 1)
            #expect(!first.alreadyImported)
            let participations = try await f.read { s, db in
                try s.participations(ofProject: f.project, activeOn: nil, page: try PageRequest(), special: true, in: db)
            }
            #expect(participations.items.map(\.personId).contains(known))
            #expect(participations.items.first { $0.personId != known }?.exitResults == [.employed])
            #expect(participations.items.first { $0.personId != known }?.specialCategories?.migrantBackground == true)
            let again = try await Self.run(f, file)
            #expect(again.alreadyImported)
            #expect(again.created == 0)
            // The same rows in another file (a re-sorted export): unchanged, plus a re-entry of the one who left.
            let other = """
                \(Self.header)
                19810211-3019,Känd Person,male,2016-02-01,,longTermUnemployed,,,,,,
                19800110-3004,Ny Person,female,2016-09-01,,unemployed,,,,,,

                """
            let third = try await Self.run(f, other)
            #expect(third.unchanged == 1)
            #expect(third.reentered == 1)
            #expect(third.created == 0)
            #expect(try await f.count("participations") == 2)
            // One audit row per import (none for the file seen before), listing the ids it wrote.
            let audited = try await f.database.query(
                """
                SELECT jsonb_array_length(after->'created') AS created, jsonb_array_length(after->'reentered') AS reentered
                FROM kernel.audit_log WHERE feature = 'esf' AND entity = 'import' AND action = 'import' ORDER BY id
                """
            ).map { [try $0.decode("created", as: Int.self), try $0.decode("reentered", as: Int.self)] }
            #expect(audited == [[2, 0], [0, 1]])
            let perRow: Int = try await f.database.query(
                "SELECT count(*) AS n FROM kernel.audit_log WHERE entity = 'participation'"
            ).single().decode("n")
            #expect(perRow == 0)
        }
    }

    @Test("a row overlapping a participation already on record is reported, and nothing is stored")
    func overlapWithStored() async throws {
        try await F.with { f async throws in
            let person = try await f.person("Redan Med", born: "1980-01-10", serial: 300)
            _ = try await f.write { s, tx in
                try s.enter(F.entry(person, from: "2016-01-11"), project: f.project, special: true, reach: .everything, actor: F.actor, in: tx)
            }
            let file = """
                \(Self.header)
                19800110-3004,Redan Med,female,2016-03-01,,unemployed,,,,,,
                19810211-3019,Ny Person,male,2016-02-01,,longTermUnemployed,,,,,,

                """
            let error = await #expect(throws: FeatureError.self) { try await Self.run(f, file) }
            #expect(error?.problems.map(\.pointer) == ["/lines/2/from"])
            #expect(try await f.count("participations") == 1)
            #expect(try await f.database.query("SELECT count(*) AS n FROM registry.people").single().decode("n", as: Int.self) == 1)
        }
    }

    @Test("jobs import by identity number and employer organisation number; unknown people, unknown employers and public bodies are reported")
    func jobs() async throws {
        try await F.with { f async throws in
            _ = try await f.person("Anställd", born: "1980-01-10", serial: 300)
            let bad = """
                identity_number,employer_organisation_number,from,to,employment_form,share_percent
                19800110-3004,769615-4322,2016-05-01,,wageSubsidy,100
                19810211-3019,769615-4322,2016-05-01,,ordinary,50
                19800110-3004,2120001355,2016-05-01,,ordinary,50
                19800110-3004,556000-0000,2016-05-01,,ordinary,50
                19800110-3004,769618-7652,2016-05-01,,permanent,150

                """
            let error = await #expect(throws: FeatureError.self) { try await Self.run(f, bad) }
            #expect(
                error?.problems.map(\.pointer) == [
                    "/lines/3/identity_number", "/lines/4/employer_organisation_number", "/lines/5/employer_organisation_number",
                    "/lines/6/employment_form", "/lines/6/share_percent",
                ]
            )
            #expect(try await f.count("jobs") == 0)
            let good = """
                identity_number,employer_organisation_number,from,employment_form,share_percent
                19800110-3004,769615-4322,2016-05-01,wageSubsidy,100
                19800110-3004,7696187652,2019-01-07,ordinary,75

                """
            let report = try await Self.run(f, good)
            #expect(report.kind == .jobs)
            #expect(report.created == 2)
            let progress = try await f.read { s, db in try s.progress(ofProject: f.project, asOf: F.today, in: db) }
            #expect(progress.jobs == 2)
        }
    }

    @Test("a file saved as Latin-1 is refused at the line and column of the first byte that is not UTF-8, and nothing is stored")
    func notUTF8() async throws {
        try await F.with { f async throws in
            let people = try await f.count("participations")
            // The name "Åsa Öberg" on line 3 in Latin-1 (Å = C5, Ö = D6): the replacement character must never be stored.
            let good = "\(Self.header)\n19800110-3004,Good Row,female,2016-01-11,,unemployed,,no,no,no,no,\n"
            let file =
                Array(good.utf8) + Array("19810211-3019,".utf8) + [0xC5] + Array("sa ".utf8) + [0xD6]
                + Array("berg,female,2016-01-11,,unemployed,,,,,,\n".utf8)
            let error = await #expect(throws: FeatureError.self) {
                try await f.write { s, tx in try s.importCSV(file, project: f.project, today: F.today, actor: F.actor, in: tx) }
            }
            #expect(error?.problems.map(\.pointer) == ["/lines/3/name"])
            #expect(error?.problems.first?.detail.contains("not UTF-8") == true)
            #expect(try await f.count("participations") == people)
        }
    }

    @Test("a month in a path or a command is YYYY-MM from 1900-01 to 2199-12, for any text")
    func months() async {
        await propertyCheck(count: 1000, input: InputSamples.any) { text in
            guard let month = ProjectCalendar.month(text) else { return }
            #expect(month.day == 1 && LocalDate.supported.contains(month))
            #expect(ProjectCalendar.label(month) == text)
        }
        #expect(ProjectCalendar.month("0957-09") == nil)
        #expect(ProjectCalendar.month("2016-03") == LocalDate(year: 2016, month: 3, day: 1))
    }
}
