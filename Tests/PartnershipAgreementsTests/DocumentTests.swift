import DataAccess
import Foundation
import PluginKit
import Registry
import Testing

@testable import PartnershipAgreements

@Suite("Documents: stored in PostgreSQL, size and type checked")
struct DocumentTests {
    typealias F = PartnershipFixture

    static let pdf = Data("%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n".utf8)

    static func attach(_ f: F, _ agreement: Int, _ content: Data, type: String, name: String = "avtal.pdf") async throws -> Document {
        try await f.write { s, tx in
            try s.attach(content, contentType: type, filename: name, toAgreement: agreement, reach: .everything, actor: F.actor, in: tx)
        }
    }

    @Test("a PDF is stored and read back byte for byte")
    func storeAndRead() async throws {
        try await F.with { f async throws in
            let agreement = try await f.create(f.draft(.iop))
            let document = try await Self.attach(f, agreement.id, Self.pdf, type: "application/pdf; charset=binary")
            #expect(document.contentType == "application/pdf")
            #expect(document.sizeBytes == Self.pdf.count)
            let (read, content) = try await f.read { s, db in try s.document(id: document.id, reach: .everything, in: db) }
            #expect(read.filename == "avtal.pdf")
            #expect(content == Self.pdf)
            #expect(try await f.read { s, db in try s.documents(ofAgreement: agreement.id, reach: .everything, in: db) }.count == 1)
        }
    }

    @Test(
        "over the size limit, a forbidden type, content that is not what the type says, a path as name: refused naming the field, nothing stored"
    )
    func refused() async throws {
        var settings = PartnershipSettings()
        settings.maxAttachmentBytes = 64
        try await F.with(settings: settings) { f async throws in
            let agreement = try await f.create(f.draft(.iop))
            let cases: [(Data, String, String, String)] = [
                (Self.pdf + Data(repeating: 0x20, count: 64), "application/pdf", "a.pdf", "/content"),
                (Data("MZ\u{90}".utf8), "application/x-msdownload", "a.exe", "/contentType"),
                (Data("<html></html>".utf8), "text/html", "a.html", "/contentType"),
                (Data("not a pdf".utf8), "application/pdf", "a.pdf", "/content"),
                (Data([0x89, 0x50]), "image/png", "a.png", "/content"),
                (Data(), "application/pdf", "a.pdf", "/content"),
                (Self.pdf, "application/pdf", "../../etc/passwd", "/filename"),
            ]
            for (content, type, name, field) in cases {
                let error = await #expect(throws: FeatureError.self) { try await Self.attach(f, agreement.id, content, type: type, name: name) }
                #expect(error?.code == .invalidInput, "\(type) \(name)")
                #expect(error?.field == field, "\(type) \(name)")
            }
            #expect(try await f.count("documents") == 0)
        }
    }

    @Test("settings: camelCase keys and snake_case aliases, content types as a list, ranges checked")
    func settings() throws {
        let yaml = ConfigValue.map(
            [
                ("reminder_days", .scalar("14", origin: "t")), ("maxAttachmentBytes", .scalar("2048", origin: "t")),
                ("allowedContentTypes", .scalar("application/pdf, Image/PNG", origin: "t")),
            ],
            origin: "t"
        )
        let section = ConfigSection(path: "features.partnerships", value: yaml)
        let settings = PartnershipSettings(section: section)
        #expect(settings.reminderDays == 14)
        #expect(settings.maxAttachmentBytes == 2048)
        #expect(settings.allowedContentTypes == ["application/pdf", "image/png"])
        #expect(section.problems.isEmpty)
        #expect(section.reportUnreadKeys().isEmpty)
        let bad = ConfigSection(
            path: "features.partnerships",
            value: .map([("reminderDays", .scalar("0", origin: "t")), ("allowedContentTypes", .scalar("pdf", origin: "t"))], origin: "t")
        )
        _ = PartnershipSettings(section: bad)
        #expect(bad.problems.map(\.keyPath) == ["features.partnerships.reminderDays", "features.partnerships.allowedContentTypes"])
    }
}
