import DataAccess
import Foundation
import PageKit

/// A file attached to an agreement (the signed agreement, a decision, a report), or a decision's
/// letter the feature wrote (``letter`` and ``decidedOn`` set), stored in PostgreSQL. The listing
/// carries no content; `GET documents/{id}` sends it.
struct Document: Sendable, Hashable, Codable {
    var id: Int
    var agreementId: Int
    var filename: String
    var contentType: String
    var sizeBytes: Int
    var uploadedBy: String
    var uploadedAt: Date
    /// The decision a letter tells (`grantDecided`, …); `nil` for a file someone attached.
    var letter: DecisionLetter.Kind?
    /// The day of a letter's decision.
    var decidedOn: LocalDate?

    static let columns: SQL = "d.id, d.agreement_id, d.filename, d.content_type, d.size_bytes, d.uploaded_by, d.uploaded_at, d.letter, d.decided_on"

    init(
        id: Int,
        agreementId: Int,
        filename: String,
        contentType: String,
        sizeBytes: Int,
        uploadedBy: String,
        uploadedAt: Date,
        letter: DecisionLetter.Kind? = nil,
        decidedOn: LocalDate? = nil
    ) {
        self.id = id
        self.agreementId = agreementId
        self.filename = filename
        self.contentType = contentType
        self.sizeBytes = sizeBytes
        self.uploadedBy = uploadedBy
        self.uploadedAt = uploadedAt
        self.letter = letter
        self.decidedOn = decidedOn
    }

    init(row: Row) throws {
        self.init(
            id: try row.decode("id"),
            agreementId: try row.decode("agreement_id"),
            filename: try row.decode("filename"),
            contentType: try row.decode("content_type"),
            sizeBytes: try row.decode("size_bytes"),
            uploadedBy: try row.decode("uploaded_by"),
            uploadedAt: try row.decode("uploaded_at"),
            letter: try row.decode("letter", as: String?.self).flatMap(DecisionLetter.Kind.init(rawValue:)),
            decidedOn: try row.decode("decided_on")
        )
    }
}
