import Foundation
import Hummingbird

extension Document {
    /// `attachment` with the file's name reduced to safe characters, so a name a person gave can
    /// never break out of the header.
    var contentDisposition: String {
        let safeName = String(filename.filter { $0.isLetter || $0.isNumber || "-_. ".contains($0) }.prefix(100))
        return "attachment; filename=\"\(safeName)\""
    }

    /// The file as a download with the type it was stored with, for the pages (the API sends the
    /// same through its generated handler).
    func download(_ content: Data) -> Response {
        Response(
            status: .ok,
            headers: [.contentType: contentType, .contentDisposition: contentDisposition],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: content))
        )
    }
}
