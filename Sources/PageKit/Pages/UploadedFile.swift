public import Foundation

/// A file posted in a `multipart/form-data` form (`<input type="file">`).
public struct UploadedFile: Sendable, Hashable {
    /// The form field's name.
    public let field: String
    /// The file's name as the browser gave it, without any path; empty when none was chosen.
    public let filename: String
    /// The media type the browser gave it (`application/octet-stream` when none).
    public let contentType: String
    /// The file's bytes.
    public let content: Data

    /// Creates a file; the host's session middleware does this for each file of a posted form.
    public init(field: String, filename: String, contentType: String, content: Data) {
        self.field = field
        self.filename = filename
        self.contentType = contentType
        self.content = content
    }
}
