import CSVKit
import DataAccess
import Foundation
import PluginKit
import Registry
import Testing

@testable import ESFProject

@Suite("ESF indicators")
struct IndicatorTests {
    typealias F = ESFFixture

    /// 32 participants, 24 entering in 2016, 5 before it and leaving in it, one across it, two
    /// after it; the expected counts below were counted by hand from this table.
    static let participants = """
        identity_number,name,gender,from,to,entry_status,education_level,homeless,migrant_background,disability,other_disadvantaged,exit_results
        19950304-1007,Person 1,female,2016-01-11,2016-07-01,unemployed,primaryOrLowerSecondary,no,yes,no,no,employed
        19600506-1012,Person 2,male,2016-02-01,2016-09-30,longTermUnemployed,upperSecondaryOrPostSecondary,no,no,yes,no,jobSearching
        19700708-1024,Person 3,female,2016-02-15,,inactiveNotInEducation,primaryOrLowerSecondary,yes,no,no,yes,
        19980102-1032,Person 4,male,2016-03-01,2016-11-30,inactiveInEducation,primaryOrLowerSecondary,no,yes,no,no,inEducation
        19551224-1042,Person 5,female,2016-03-14,,employed,tertiary,no,no,no,no,
        19800630-1058,Person 6,male,2016-04-04,2016-10-15,longTermUnemployed,upperSecondaryOrPostSecondary,no,no,no,yes,employed|qualification
        19900909-1068,Person 7,other,2016-04-18,,unemployed,tertiary,no,no,yes,no,
        19930228-1077,Person 8,female,2016-05-02,2016-12-31,inactiveNotInEducation,upperSecondaryOrPostSecondary,no,yes,yes,no,jobSearching
        19570401-1088,Person 9,male,2016-05-16,2016-08-31,unemployed,primaryOrLowerSecondary,yes,no,no,no,employed
        19920815-1093,Person 10,female,2016-06-01,,longTermUnemployed,,no,no,no,no,
        19751010-1103,Person 11,male,2016-06-20,2016-12-01,employed,tertiary,no,no,no,no,qualification
        19991111-1111,Person 12,female,2016-07-04,2017-01-31,inactiveInEducation,primaryOrLowerSecondary,no,no,no,yes,inEducation
        19850303-1125,Person 13,male,2016-08-01,,unemployed,upperSecondaryOrPostSecondary,no,yes,no,no,
        19610120-1132,Person 14,female,2016-08-15,2016-12-20,inactiveNotInEducation,primaryOrLowerSecondary,no,no,yes,yes,jobSearching|inEducation
        19960707-1140,Person 15,male,2016-09-05,,longTermUnemployed,primaryOrLowerSecondary,yes,yes,no,no,
        19880505-1151,Person 16,female,2016-09-19,2016-11-11,unemployed,tertiary,no,no,no,no,
        19590929-1162,Person 17,female,2016-10-03,,longTermUnemployed,upperSecondaryOrPostSecondary,no,no,no,no,
        19940414-1179,Person 18,male,2016-10-17,2016-12-15,inactiveNotInEducation,upperSecondaryOrPostSecondary,no,no,no,no,employed
        19780606-1185,Person 19,female,2016-11-07,,employed,upperSecondaryOrPostSecondary,no,yes,no,no,
        19520202-1191,Person 20,male,2016-11-21,,unemployed,primaryOrLowerSecondary,no,no,no,yes,
        19971212-1202,Person 21,female,2016-12-05,,inactiveInEducation,primaryOrLowerSecondary,no,no,no,no,
        19830808-1218,Person 22,male,2016-12-19,,longTermUnemployed,tertiary,no,no,yes,no,
        19910313-1224,Person 23,female,2015-11-02,2016-03-31,unemployed,primaryOrLowerSecondary,no,yes,no,no,employed
        19580717-1235,Person 24,male,2015-10-12,2016-06-30,longTermUnemployed,upperSecondaryOrPostSecondary,no,no,no,yes,jobSearching
        19871001-1241,Person 25,female,2015-12-01,,inactiveNotInEducation,tertiary,no,no,no,no,
        19990525-1253,Person 26,male,2015-10-19,2016-02-29,inactiveInEducation,primaryOrLowerSecondary,no,no,no,no,inEducation
        19650616-1261,Person 27,female,2015-11-16,2016-05-31,employed,upperSecondaryOrPostSecondary,yes,no,no,no,
        19720101-1272,Person 28,male,2015-12-14,2017-03-31,unemployed,primaryOrLowerSecondary,no,yes,no,no,employed
        19940919-1286,Person 29,female,2017-01-09,,unemployed,primaryOrLowerSecondary,no,no,no,no,
        19561106-1291,Person 30,male,2017-02-06,2017-06-30,longTermUnemployed,upperSecondaryOrPostSecondary,no,no,yes,no,employed
        20000404-1307,Person 31,female,2016-01-25,2016-04-29,inactiveNotInEducation,primaryOrLowerSecondary,no,no,no,no,jobSearching
        19680818-1314,Person 32,male,2016-02-22,2016-10-31,unemployed,tertiary,no,no,no,no,employed
        """

    /// Per indicator for 2016: total, women, men, other.
    static let expected: [String: (Int, Int, Int, Int)] = [
        "CO01": (13, 4, 8, 1), "CO02": (6, 2, 4, 0), "CO03": (8, 6, 2, 0), "CO04": (5, 4, 1, 0), "CO05": (3, 2, 1, 0),
        "CO06": (9, 6, 3, 0), "CO07": (6, 3, 3, 0), "CO08": (5, 2, 3, 0), "CO09": (10, 6, 4, 0), "CO10": (7, 3, 4, 0),
        "CO11": (6, 2, 3, 1), "CO15": (6, 3, 3, 0), "CO16": (5, 2, 2, 1), "CO17": (5, 3, 2, 0), "CO18": (3, 1, 2, 0),
        "CR01": (3, 3, 0, 0), "CR02": (3, 1, 2, 0), "CR03": (2, 0, 2, 0), "CR04": (6, 2, 4, 0), "CR05": (9, 4, 5, 0),
        "CR06": (3, 2, 1, 0), "CR07": (1, 0, 1, 0), "CR08": (2, 1, 1, 0), "CR09": (3, 2, 1, 0),
    ]

    /// Imports the table and records the six-month results of four who left in 2016.
    static func load(_ f: F) async throws {
        let report = try await f.write { s, tx in
            try s.importCSV(Array(participants.utf8), project: f.project, today: F.today, actor: F.actor, in: tx)
        }
        #expect(report.created == 32)
        let six: [(line: Int, result: SixMonthResult)] = [(2, .employed), (3, .improvedSituation), (10, .employed), (15, .employed)]
        for (line, result) in six {
            let number = participants.split(separator: "\n")[line - 1].split(separator: ",")[0]
            _ = try await f.write { s, tx in
                let person = try s.registry.personIDs(byIdentityNumber: [try IdentityNumber(parsing: String(number), today: F.today)], in: tx).values
                    .first!
                let id: Int = try tx.query("SELECT id FROM esf.participations WHERE person_id = \(person)").single().decode("id")
                let end = try s.participation(id: id, special: true, in: tx).to!
                return try s.recordSixMonths(
                    SixMonthFollowUp(results: [result], recordedOn: ESFStore.sixMonthsAfter(end)),
                    participation: id,
                    today: F.today,
                    special: true,
                    actor: F.actor,
                    in: tx
                )
            }
        }
    }

    @Test("every indicator of 2016 over the hand-counted table of 32 participants, each split by gender")
    func handCounted() async throws {
        try await F.with { f async throws in
            try await Self.load(f)
            let report = try await f.read { s, db in
                try s.indicatorReport(
                    ofProject: f.project,
                    from: LocalDate(year: 2016, month: 1, day: 1)!,
                    to: LocalDate(year: 2016, month: 12, day: 31)!,
                    special: true,
                    in: db
                )
            }
            #expect(report.indicators.map(\.code) == Self.expected.keys.sorted())
            for line in report.indicators {
                let (total, women, men, other) = Self.expected[line.code]!
                #expect(line.total == .exact(total), "\(line.code) total")
                #expect(line.women == .exact(women), "\(line.code) women")
                #expect(line.men == .exact(men), "\(line.code) men")
                #expect(line.other == .exact(other), "\(line.code) other")
            }
            let csv = report.csv.text
            #expect(csv.contains("CO01,output,\"Unemployed, including long-term unemployed\",13,4,8,1"))
        }
    }

    @Test("without the special-category permission those indicators are restricted: no counts, not in the CSV")
    func restricted() async throws {
        try await F.with { f async throws in
            try await Self.load(f)
            let report = try await f.read { s, db in
                try s.indicatorReport(
                    ofProject: f.project,
                    from: LocalDate(year: 2016, month: 1, day: 1)!,
                    to: LocalDate(year: 2016, month: 12, day: 31)!,
                    special: false,
                    in: db
                )
            }
            let restricted = report.indicators.filter(\.restricted).map(\.code)
            #expect(restricted == ["CO15", "CO16", "CO17", "CR05", "CR09"])
            #expect(report.indicators.filter(\.restricted).allSatisfy { $0.total == nil })
            #expect(report.indicators.first { $0.code == "CO18" }?.total == .fewerThanFive)
            #expect(!report.csv.text.contains("CO16"))
        }
    }

    @Test("an indicator set is data: a new set loads and counts without code; an unknown criterion is refused")
    func dataDrivenSet() async throws {
        try await F.with { f async throws in
            try await Self.load(f)
            let json = """
                [{"code": "EECO01", "kind": "output", "name": "Unemployed", "basis": "entry", "special": false,
                  "criterion": {"entryStatus": ["unemployed", "longTermUnemployed"]}},
                 {"code": "EECO07", "kind": "output", "name": "55 and over", "basis": "entry", "special": false, "criterion": {"ageAbove": 54}}]
                """
            let definitions = try JSONDecoder().decode([IndicatorDefinition].self, from: Data(json.utf8))
            _ = try await f.write { s, tx in try s.loadIndicatorSet("2021-2027", definitions, actor: F.actor, in: tx) }
            #expect(try await f.read { s, db in try s.indicatorSets(in: db) } == ["2014-2020", "2021-2027"])
            try await f.database.execute("UPDATE esf.projects SET indicator_set = '2021-2027' WHERE id = \(f.project)")
            let report = try await f.read { s, db in
                try s.indicatorReport(
                    ofProject: f.project,
                    from: LocalDate(year: 2016, month: 1, day: 1)!,
                    to: LocalDate(year: 2016, month: 12, day: 31)!,
                    special: true,
                    in: db
                )
            }
            #expect(report.indicators.map(\.code) == ["EECO01", "EECO07"])
            #expect(report.indicators.map(\.total) == [13, 6])
            let typo = #"[{"code": "X", "kind": "output", "name": "X", "basis": "entry", "special": false, "criterion": {"ageAbov": 54}}]"#
            #expect(throws: DecodingError.self) { try JSONDecoder().decode([IndicatorDefinition].self, from: Data(typo.utf8)) }
        }
    }

    // MARK: - Special categories (issue 19.2)

    /// The project's indicator report from the first day of 2016 to `to` (its last by default).
    static func report2016(_ f: F, special: Bool, to: LocalDate = LocalDate(year: 2016, month: 12, day: 31)!) async throws -> IndicatorReport {
        try await f.read { s, db in
            try s.indicatorReport(ofProject: f.project, from: LocalDate(year: 2016, month: 1, day: 1)!, to: to, special: special, in: db)
        }
    }

    /// Decodes a set from JSON as the API and `esf indicators load` take it.
    static func definitions(_ json: String) throws -> [IndicatorDefinition] {
        try JSONDecoder().decode([IndicatorDefinition].self, from: Data(json.utf8))
    }

    @Test(
        "special is the criterion's to say: a disability or migrant-background indicator uploaded as ordinary is 422 naming its special, and so is the reverse"
    )
    func specialDerivedFromCriterion() async throws {
        try await F.with { f async throws in
            let relabelled: [(json: String, field: String)] = [
                (
                    #"[{"code": "A", "kind": "output", "name": "Unemployed", "basis": "entry", "special": false, "criterion": {"entryStatus": ["unemployed"]}},"#
                        + #" {"code": "B", "kind": "output", "name": "Anyone", "basis": "entry", "special": false, "criterion": {"attributes": ["disability"]}}]"#,
                    "/1/special"
                ),
                (
                    #"[{"code": "C", "kind": "output", "name": "Anyone", "basis": "entry", "special": false, "criterion": {"anyAttribute": ["homeless", "migrantBackground"]}}]"#,
                    "/0/special"
                ),
                (
                    #"[{"code": "D", "kind": "result", "name": "Anyone", "basis": "exit", "special": false, "criterion": {"attributes": ["otherDisadvantaged"], "exitResults": ["employed"]}}]"#,
                    "/0/special"
                ),
                (
                    #"[{"code": "E", "kind": "output", "name": "Homeless", "basis": "entry", "special": true, "criterion": {"attributes": ["homeless"]}}]"#,
                    "/0/special"
                ),
            ]
            for (json, field) in relabelled {
                let definitions = try Self.definitions(json)
                let error = await #expect(throws: FeatureError.self) {
                    try await f.write { s, tx in try s.loadIndicatorSet("relabelled", definitions, actor: F.actor, in: tx) }
                }
                #expect(error?.code == .invalidInput, "\(json)")
                #expect(error?.field == field, "\(json)")
            }
            #expect(try await f.read { s, db in try s.indicatorSets(in: db) } == ["2014-2020"], "nothing of a refused set is stored")
            let honest = try Self.definitions(
                #"[{"code": "B", "kind": "output", "name": "Disability", "basis": "entry", "special": true, "criterion": {"attributes": ["disability"]}},"#
                    + #" {"code": "E", "kind": "output", "name": "Homeless", "basis": "entry", "special": false, "criterion": {"attributes": ["homeless"]}}]"#
            )
            let loaded = try await f.write { s, tx in try s.loadIndicatorSet("honest", honest, actor: F.actor, in: tx) }
            #expect(loaded.map(\.special) == [true, false])
        }
    }

    @Test("a set stored as ordinary before special was derived still reads as special: its counts are restricted")
    func storedRelabellingIsIgnored() async throws {
        try await F.with { f async throws in
            try await Self.load(f)
            // As a set loaded before the check would lie in the table.
            try await f.database.execute(
                """
                INSERT INTO esf.indicators (indicator_set, code, kind, name, basis, criterion, special, position)
                VALUES ('old', 'X16', 'output', 'Looks ordinary', 'entry', '{"attributes": ["disability"]}', false, 1)
                """
            )
            try await f.database.execute("UPDATE esf.projects SET indicator_set = 'old' WHERE id = \(f.project)")
            #expect(try await f.read { s, db in try s.indicators(ofSet: "old", in: db) }.map(\.special) == [true])
            let report = try await Self.report2016(f, special: false)
            #expect(report.indicators.map(\.restricted) == [true])
            #expect(report.indicators[0].total == nil)
        }
    }

    @Test(
        "without special categories a gender-split count under 5 is '< 5' and such a line's total only a band, in the report and its CSV; the coordinator sees every number"
    )
    func smallNumbersSuppressed() async throws {
        try await F.with { f async throws in
            try await Self.load(f)
            let suppressed = try await Self.report2016(f, special: false)
            func line(_ code: String) -> IndicatorReport.Line? { suppressed.indicators.first { $0.code == code } }
            // CO01 is 13: 4 women, 8 men, 1 other; CO03 is 8: 6 women, 2 men; CO05 is 3: 2 women, 1 man.
            #expect(line("CO01").map { [$0.total, $0.women, $0.men, $0.other] } == [.fiveOrMore, .fewerThanFive, .exact(8), .fewerThanFive])
            #expect(line("CO03").map { [$0.total, $0.women, $0.men, $0.other] } == [.fiveOrMore, .exact(6), .fewerThanFive, .fewerThanFive])
            #expect(line("CO05").map { [$0.total, $0.women, $0.men, $0.other] } == [.fewerThanFive, .fewerThanFive, .fewerThanFive, .fewerThanFive])
            // No exact count under 5 anywhere, and no total that gives a hidden cell away.
            for line in suppressed.indicators where !line.restricted {
                for count in [line.total, line.women, line.men, line.other] {
                    #expect((count?.exactValue).map { $0 >= 5 } ?? true, "\(line.code)")
                }
                let hidden = [line.women, line.men, line.other].contains(.fewerThanFive)
                #expect(!hidden || line.total?.exactValue == nil, "\(line.code) total")
            }
            let csv = suppressed.csv.text
            #expect(csv.contains("CO01,output,\"Unemployed, including long-term unemployed\",≥ 5,< 5,8,< 5"))
            #expect(csv.contains("CO05,output,\"Employed, including self-employed\",< 5,< 5,< 5,< 5"))
            // A narrow window (January: two people entered) tells nothing either.
            let january = try await Self.report2016(f, special: false, to: LocalDate(year: 2016, month: 1, day: 31)!)
            #expect(january.indicators.filter { !$0.restricted }.allSatisfy { $0.total == .fewerThanFive && $0.women == .fewerThanFive })
            // The coordinator's report has every number.
            let full = try await Self.report2016(f, special: true)
            #expect(full.indicators.first { $0.code == "CO01" }.map { [$0.total, $0.women, $0.men, $0.other] } == [13, 4, 8, 1])
            #expect(full.csv.text.contains("CO01,output,\"Unemployed, including long-term unemployed\",13,4,8,1"))
            // JSON: a number, or the band as a string.
            let json = String(decoding: try JSONEncoder().encode(line("CO01")), as: UTF8.self)
            #expect(json.contains(#""women":"< 5""#) && json.contains(#""men":8"#) && json.contains(#""total":"≥ 5""#))
            #expect(try JSONDecoder().decode(IndicatorReport.Line.self, from: Data(json.utf8)) == line("CO01"))
        }
    }

    @Test(
        "CO08 counts over-54s inactive not in education, not those in education (rule 15 corrected); a period submitted before the correction re-runs with the definition it used"
    )
    func co08Versions() async throws {
        try await F.with { f async throws in
            let inEducation = try await f.person("Greta Holm", born: "1955-03-01")
            let notInEducation = try await f.person("Bengt Ek", born: "1956-04-02", gender: .male)
            for (person, status) in [(inEducation, EntryStatus.inactiveInEducation), (notInEducation, .inactiveNotInEducation)] {
                _ = try await f.write { s, tx in
                    try s.enter(
                        F.entry(person, from: "2016-01-11", status: status),
                        project: f.project,
                        special: true,
                        reach: .everything,
                        actor: F.actor,
                        in: tx
                    )
                }
            }
            func co08() async throws -> (total: Int?, definitionsOn: LocalDate?) {
                let report = try await f.read { s, db in
                    try s.indicatorReport(ofProject: f.project, from: LocalDate("2016-01-01")!, to: LocalDate("2016-01-31")!, special: true, in: db)
                }
                return (report.indicators.first { $0.code == "CO08" }?.total?.exactValue, report.definitionsOn)
            }
            // An open month counts by the corrected rule.
            let open = try await co08()
            #expect(open.total == 1)
            #expect(open.definitionsOn == nil)
            // January was submitted in 2019, before the correction: re-run, it says what was reported then.
            _ = try await f.write { s, tx in
                try s.submitMonth(ProjectCalendar.month("2016-01")!, project: f.project, today: F.today, actor: F.actor, in: tx)
            }
            let reported = try await co08()
            #expect(reported.total == 2)
            #expect(reported.definitionsOn == F.today)
            let first = try await f.read { s, db in try s.indicators(ofSet: IndicatorSeed.set2014, on: F.today, in: db) }
            let current = try await f.read { s, db in try s.indicators(ofSet: IndicatorSeed.set2014, in: db) }
            #expect(first.first { $0.code == "CO08" }?.criterion.entryStatus?.contains(.inactiveInEducation) == true)
            #expect(current.first { $0.code == "CO08" }?.criterion.entryStatus == [.unemployed, .longTermUnemployed, .inactiveNotInEducation])
            #expect(current.count == first.count, "one version of each indicator")
        }
    }
}
