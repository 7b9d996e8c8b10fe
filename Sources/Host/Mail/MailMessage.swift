import Foundation

/// One plain-text message to one recipient, as the mail outbox keeps it.
struct MailMessage: Sendable, Hashable {
    /// The outbox row's id, in the `Message-ID`.
    var id: Int
    var from: String
    var to: String
    var subject: String
    /// The text, lines separated by `\n`.
    var body: String

    /// The message in RFC 5322 form with CRLF line ends: UTF-8 text, the subject encoded as RFC
    /// 2047 where it is not ASCII, the body in base64 (so no server needs 8BITMIME, no line is
    /// too long, and no line starts with a dot that SMTP would have to stuff).
    ///
    /// - Parameter date: The `Date` header's moment.
    func rendered(at date: Date = Date()) -> String {
        let subjectHeader = subject.allSatisfy(\.isASCII) ? subject : "=?UTF-8?B?\(Data(subject.utf8).base64EncodedString())?="
        let body = Data(body.replacingOccurrences(of: "\n", with: "\r\n").utf8).base64EncodedString(options: [
            .lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed,
        ])
        let domain = from.split(separator: "@").last.map(String.init) ?? "localhost"
        return [
            "From: \(from)",
            "To: \(to)",
            "Subject: \(subjectHeader)",
            "Date: \(Self.dateHeader(date))",
            "Message-ID: <kooperator.\(id)@\(domain)>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: base64",
            "Auto-Submitted: auto-generated",
            "",
            body,
            "",
        ].joined(separator: "\r\n")
    }

    /// `Sun, 06 Dec 2026 16:10:00 +0000`.
    static func dateHeader(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }
}
