import DataAccess
import FeatureSupport
import Foundation
import PluginKit
import Registry

extension PartnershipStore {
    /// The documents of an agreement, without their content.
    func documents(ofAgreement id: Int, reach: Reach, in executor: some SQLExecutor) throws -> [Document] {
        _ = try agreement(id: id, reach: reach, in: executor)
        return try executor.query("SELECT \(Document.columns) FROM partnerships.documents d WHERE d.agreement_id = \(id) ORDER BY d.id")
            .map(Document.init(row:))
    }

    /// A document with its content, if its agreement is within reach.
    func document(id: Int, reach: Reach, in executor: some SQLExecutor) throws -> (Document, Data) {
        guard
            let row = try executor.queryFirst(
                """
                SELECT \(Document.columns), d.content FROM partnerships.documents d JOIN partnerships.agreements a ON a.id = d.agreement_id
                WHERE d.id = \(id) AND \(Self.allows(reach))
                """
            )
        else { throw FeatureError.notFound("document", id: id) }
        return (try Document(row: row), try row.decode("content"))
    }

    /// Attaches a file to an agreement: at most the configured size, of an allowed content type,
    /// and for the types with a signature (PDF, PNG, JPEG, Office documents, text) content that
    /// starts like one.
    ///
    /// - Throws: ``FeatureError`` `.invalidInput` naming `/content` (empty, over the limit, not
    ///   what the type says), `/contentType` (not allowed) or `/filename`.
    func attach(
        _ content: Data,
        contentType: String,
        filename: String,
        toAgreement id: Int,
        reach: Reach,
        actor: Actor,
        in tx: Transaction
    ) throws -> Document {
        _ = try lockedAgreement(id: id, reach: reach, in: tx)
        let type = try checkAttachment(content, contentType: contentType)
        let name = try Input.text(filename, field: "/filename", maxLength: 200)
        guard !name.contains("/"), !name.contains("\\") else {
            throw FeatureError(.invalidInput, "must be a file name without a path", field: "/filename")
        }
        let row = try tx.query(
            """
            INSERT INTO partnerships.documents AS d (agreement_id, filename, content_type, size_bytes, content, uploaded_by)
            VALUES (\(id), \(name), \(type), \(content.count), \(content), \(actor.name)) RETURNING \(Document.columns)
            """
        ).single()
        let document = try Document(row: row)
        try tx.audit(actor, feature: Self.feature, entity: "document", id: document.id, action: "create", after: document)
        return document
    }

    /// The media type of a `Content-Type` header, if the settings allow it.
    ///
    /// - Throws: ``FeatureError`` `.invalidInput` naming `/contentType`.
    func allowedContentType(_ contentType: String) throws(FeatureError) -> String {
        let type = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        guard settings.allowedContentTypes.contains(type) else {
            throw FeatureError(
                .invalidInput,
                "'\(type.prefix(80))' is not an allowed type; allowed: \(settings.allowedContentTypes.joined(separator: ", "))",
                field: "/contentType",
                wording: "uploadType"
            )
        }
        return type
    }

    /// The media type of an attachment, checked against the settings and the content.
    func checkAttachment(_ content: Data, contentType: String) throws(FeatureError) -> String {
        let type = try allowedContentType(contentType)
        guard !content.isEmpty else { throw FeatureError(.invalidInput, "the file is empty", field: "/content", wording: "uploadEmpty") }
        guard content.count <= settings.maxAttachmentBytes else {
            throw FeatureError(
                .invalidInput,
                "the file is \(content.count) bytes; at most \(settings.maxAttachmentBytes) are allowed",
                field: "/content",
                wording: Wording("uploadTooLarge", ["max": DocumentView.size(settings.maxAttachmentBytes)])
            )
        }
        guard Self.contentMatches(content, type: type) else {
            throw FeatureError(.invalidInput, "the content is not a \(type) file", field: "/content", wording: "uploadContent")
        }
        return type
    }

    /// Whether the content starts like a file of `type`; types without a known signature pass.
    static func contentMatches(_ content: Data, type: String) -> Bool {
        func starts(with bytes: [UInt8]) -> Bool { content.starts(with: bytes) }
        switch type {
        case "application/pdf": return starts(with: Array("%PDF-".utf8))
        case "image/png": return starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        case "image/jpeg": return starts(with: [0xFF, 0xD8, 0xFF])
        case "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "application/vnd.oasis.opendocument.text",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/zip":
            return starts(with: [0x50, 0x4B, 0x03, 0x04])
        case "text/plain", "text/csv": return !content.contains(0) && String(data: content, encoding: .utf8) != nil
        default: return true
        }
    }
}

extension Document: Auditable {
    var auditFields: [String: JSONValue] {
        [
            "agreementId": .int(agreementId), "filename": .string(filename), "contentType": .string(contentType),
            "sizeBytes": .int(sizeBytes),
        ]
    }
}
