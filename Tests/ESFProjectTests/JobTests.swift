import DataAccess
import Foundation
import PluginKit
import Registry
import Testing

@testable import ESFProject

@Suite("ESF jobs and progress toward the target")
struct JobTests {
    typealias F = ESFFixture

    static func job(_ f: F, person: Int, employer: Int, from: String, to: String? = nil, share: Decimal = 100) -> JobDraft {
        JobDraft(
            personId: person,
            employerId: employer,
            from: LocalDate(from)!,
            to: to.map { LocalDate($0)! },
            employmentForm: .wageSubsidy,
            sharePercent: share
        )
    }

    @Test(
        "a job is in a social enterprise with a valid period and share; bad ones name the field",
        arguments: [
            ("/employerId", "public"), ("/to", "end"), ("/sharePercent", "share"), ("/from", "before"),
        ]
    )
    func badJobs(field: String, what: String) async throws {
        try await F.with { f async throws in
            let person = try await f.person("Johan Berg", born: "1984-04-04", gender: .male)
            var draft = Self.job(f, person: person, employer: f.employers[0], from: "2016-05-01")
            switch what {
            case "public": draft.employerId = f.publicBody
            case "end": draft.to = LocalDate(year: 2016, month: 4, day: 30)
            case "share": draft.sharePercent = 0
            default: draft.from = LocalDate(year: 2015, month: 9, day: 30)!
            }
            let error = await #expect(throws: FeatureError.self) {
                try await f.write { [draft] s, tx in try s.createJob(draft, project: f.project, reach: .everything, actor: F.actor, in: tx) }
            }
            #expect(error?.field == field)
            #expect(try await f.count("jobs") == 0)
        }
    }

    @Test("progress counts jobs by gender, employer and month, and projects the pace in a straight line to the target day")
    func progress() async throws {
        try await F.with { f async throws in
            let women = try await (0..<3).asyncMap { try await f.person("Kvinna \($0)", born: "1990-01-0\($0 + 1)") }
            let men = try await (0..<2).asyncMap { try await f.person("Man \($0)", born: "1980-01-0\($0 + 1)", gender: .male) }
            let jobs = [
                (women[0], 0, "2016-01-15"), (women[1], 0, "2016-01-20"), (women[2], 1, "2016-03-01"), (men[0], 2, "2016-03-15"),
                (men[1], 0, "2016-09-01"),
            ]
            for (person, employer, from) in jobs {
                _ = try await f.write { s, tx in
                    try s.createJob(
                        Self.job(f, person: person, employer: f.employers[employer], from: from),
                        project: f.project,
                        reach: .everything,
                        actor: F.actor,
                        in: tx
                    )
                }
            }
            let again = await #expect(throws: FeatureError.self) {
                try await f.write { s, tx in
                    try s.createJob(
                        Self.job(f, person: women[0], employer: f.employers[0], from: "2016-01-15"),
                        project: f.project,
                        reach: .everything,
                        actor: F.actor,
                        in: tx
                    )
                }
            }
            #expect(again?.code == .conflict)
            let asOf = LocalDate(year: 2016, month: 3, day: 31)!
            let progress = try await f.read { s, db in try s.progress(ofProject: f.project, asOf: asOf, in: db) }
            #expect(progress.jobs == 4)
            #expect(progress.byGender == ["female": 3, "male": 1])
            #expect(progress.byEmployer.map(\.jobs) == [2, 1, 1])
            #expect(progress.byEmployer.first?.employerId == f.employers[0])
            #expect(progress.byMonth.map(\.month) == ["2016-01", "2016-03"])
            #expect(progress.byMonth.map(\.cumulative) == [2, 4])
            // 4 jobs in the 183 days 2015-10-01…2016-03-31; the target day is day 1919: 4 × 1919 / 183 = 41.9.
            #expect(progress.projected == 41)
            #expect(progress.onTrack == false)
            #expect(progress.target == 1000)
        }
    }
}

extension Sequence {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var result: [T] = []
        for element in self { result.append(try await transform(element)) }
        return result
    }
}
