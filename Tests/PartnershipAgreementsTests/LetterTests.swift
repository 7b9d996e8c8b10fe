import DataAccess
import Foundation
import HostTestSupport
import PageKit
import PluginKit
import Registry
import Testing

@testable import Host
@testable import PartnershipAgreements

@Suite("Decision letters: case numbers, the kept text, the operator's templates")
struct LetterTests {
    typealias F = PartnershipFixture

    /// The committee's letters, numbered `SRN 2016/00001`, …, over the operator's `folder`.
    static func letters(folder: String? = nil) throws -> DecisionLetters { try HostFixture.committeeLetters(folder: folder) }

    /// The letters of an agreement, with their text.
    static func letters(of id: Int, _ f: F) async throws -> [(Document, String)] {
        try await f.read { s, db in
            try s.documents(ofAgreement: id, reach: .everything, in: db).filter { $0.letter != nil }.map { document in
                (document, String(decoding: try s.document(id: document.id, reach: .everything, in: db).1, as: UTF8.self))
            }
        }
    }

    /// An operator's folder with one file.
    static func folder(_ file: String, _ text: String) throws -> String { try HostFixture.letterFolder(file, text) }

    @Test(
        "each decision writes its letter, filed under the case number drawn from the configured series",
        arguments: [
            (AgreementState.granted, DecisionLetter.Kind.grantDecided, true),
            (.rejected, .grantRejected, true),
            (.repaymentClaimed, .repaymentClaimed, true),
            (.signed, .agreementSigned, true),
            (.terminated, .agreementTerminated, false),
        ]
    )
    func eachDecision(state: AgreementState, kind: DecisionLetter.Kind, appealable: Bool) async throws {
        try await F.with(letters: try Self.letters()) { f async throws in
            let agreement = try await LifecycleTests.prepare(state, f)
            let number = try #require(try await f.read { s, db in try s.agreement(id: agreement.id, reach: .everything, in: db) }.caseNumber)
            #expect(number.wholeMatch(of: /SRN 2016\/\d{5}/) != nil, "\(number)")
            let letters = try await Self.letters(of: agreement.id, f)
            let (document, text) = try #require(letters.last)
            #expect(document.letter == kind)
            #expect(document.decidedOn != nil)
            #expect(document.contentType.hasPrefix("text/html"))
            #expect(text.contains("Diarienummer</dt><dd>\(number)"))
            #expect(text.contains("Göteborgs Stad"))
            #expect(text.contains("@page { size: A4"))
            // Every decision of the case is filed under the one number.
            #expect(letters.allSatisfy { $0.1.contains(number) })
            #expect(text.contains("laglighetsprövning") == appealable)
        }
    }

    @Test("a rejected grant can be appealed by laglighetsprövning only, not by förvaltningsbesvär")
    func rejectedGrantAppeal() async throws {
        try await F.with(letters: try Self.letters()) { f async throws in
            let grant = try await LifecycleTests.prepare(.rejected, f)
            let text = try #require(try await Self.letters(of: grant.id, f).last?.1)
            #expect(text.contains("avslår"))
            #expect(text.contains("13 kap. kommunallagen"))
            #expect(text.contains("inom tre veckor"))
            #expect(text.contains("kan inte överklagas genom förvaltningsbesvär"))
        }
    }

    @Test("a case number typed in is kept; two cases without one get consecutive numbers")
    func numbering() async throws {
        try await F.with(letters: try Self.letters()) { f async throws in
            var own = f.draft(.associationGrant)
            own.caseNumber = "SN 2016/123"
            let typed = try await f.create(own)
            try await f.change(typed.id, AgreementStateChange(state: .inReview))
            try await f.change(typed.id, AgreementStateChange(state: .rejected))
            let first = try await f.create(f.draft(.associationGrant))
            let second = try await f.create(f.draft(.associationGrant))
            try await f.change(first.id, AgreementStateChange(state: .inReview))
            try await f.change(second.id, AgreementStateChange(state: .inReview))
            let a = try await f.change(first.id, AgreementStateChange(state: .rejected))
            let b = try await f.change(second.id, AgreementStateChange(state: .rejected))
            #expect(try await f.read { s, db in try s.agreement(id: typed.id, reach: .everything, in: db) }.caseNumber == "SN 2016/123")
            #expect(a.caseNumber == "SRN 2016/00001")
            #expect(b.caseNumber == "SRN 2016/00002")
            #expect(try await Self.letters(of: typed.id, f).first?.1.contains("SN 2016/123") == true)
        }
    }

    @Test("the operator's template replaces the shipped one, and a letter already written keeps its text")
    func operatorTemplateAndKeptText() async throws {
        let own = try Self.folder("sv/grantRejected.mustache", "<h1>Eget avslag {{caseNumber}}</h1>{{> lawfulnessReview}}")
        try await F.with(letters: try Self.letters()) { f async throws in
            let before = try await LifecycleTests.prepare(.rejected, f)
            let kept = try #require(try await Self.letters(of: before.id, f).last?.1)
            // The same database, now with the operator's text.
            let changed = PartnershipStore(
                registry: f.registry,
                events: f.store.events,
                staff: f.store.staff,
                settings: f.store.settings,
                letters: try Self.letters(folder: own)
            )
            let after = try await f.create(f.draft(.associationGrant))
            try await f.change(after.id, AgreementStateChange(state: .inReview))
            _ = try await f.database.transaction { tx in
                try changed.changeState(
                    ofAgreement: after.id,
                    AgreementStateChange(state: .rejected),
                    today: F.start,
                    reach: .everything,
                    actor: F.actor,
                    in: tx
                )
            }
            let new = try #require(try await Self.letters(of: after.id, f).last?.1)
            #expect(new.contains("Eget avslag SRN 2016/"))
            #expect(!new.contains("avslår"))
            #expect(try await Self.letters(of: before.id, f).last?.1 == kept)
            #expect(kept.contains("avslår"))
        }
    }

    @Test("config check names a letter template that does not parse, with its file and line")
    func brokenTemplate() throws {
        let own = try Self.folder("en/grantDecided.mustache", "<h1>Grant</h1>\n<p>{{#amount}}{{amount}}</p>\n")
        let yaml = HostFixture.yaml(url: "postgresql://localhost/none", extra: "letters:\n  templates: \(own)\n")
        let (_, problems) = try HostFixture.configuration(yaml)
        let problem = try #require(problems.first { $0.keyPath == "letters.templates" })
        #expect(problem.message.contains("en/grantDecided.mustache line "))
        let unknown = try Self.folder("sv/grantDecidd.mustache", "x")
        let (_, more) = try HostFixture.configuration(
            HostFixture.yaml(url: "postgresql://localhost/none", extra: "letters:\n  templates: \(unknown)\n")
        )
        #expect(more.contains { $0.keyPath == "letters.templates" && $0.message.contains("grantDecidd.mustache is not a letter template") })
    }

    @Test("a case number pattern without {number} or {year} is refused")
    func badPattern() throws {
        #expect(throws: PageSetupError.self) { try CaseNumberFormat(series: "SRN", pattern: "{series}/{year}") }
        #expect(throws: PageSetupError.self) { try CaseNumberFormat(series: "SRN", pattern: "{series} {number}") }
        #expect(try CaseNumberFormat(series: "KS", pattern: "{year}-{series}-{number:3}").format(year: 2015, number: 7) == "2015-KS-007")
    }
}
