public import CSVKit
public import Foundation
public import Hummingbird

/// What a page handler answers: an HTML page, a redirect after a successful form (303, so a
/// reload does not post again), or a CSV download of a list.
public struct PageResult: ResponseGenerator, Sendable {
    /// The response.
    public let response: Response
    /// A CSV download, kept to be written again in the reader's spreadsheet dialect
    /// (``reading(_:)``; the page router does it).
    let download: (csv: CSV, filename: String)?

    /// Wraps a response.
    public init(_ response: Response) { (self.response, download) = (response, nil) }

    /// A download and its response.
    init(download csv: CSV, filename: String, language: Language) {
        response = csv.response(filename: filename, dialect: .spreadsheet(for: language)).response
        download = (csv, filename)
    }

    /// This result for a reader of `language`: a CSV download in the dialect their spreadsheet
    /// opens as it is; anything else as it was.
    public func reading(_ language: Language) -> PageResult {
        guard let download else { return self }
        return PageResult(download: download.csv, filename: download.filename, language: language)
    }

    /// An HTML document.
    ///
    /// - Parameters:
    ///   - html: The document.
    ///   - status: 200, or 422 for a form sent back with its errors.
    public static func html(_ html: String, status: HTTPResponse.Status = .ok) -> PageResult {
        PageResult(
            Response(
                status: status,
                headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: html))
            )
        )
    }

    /// A stored decision letter (``DecisionLetters/render(_:)``) shown as it was written, to read
    /// and print: a page of its own with its styles inline, so its policy allows those and
    /// nothing else (no script, no request anywhere, its logo a `data:` image).
    public static func letter(_ html: String) -> PageResult {
        PageResult(
            Response(
                status: .ok,
                headers: [
                    .contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
                    .contentSecurityPolicy:
                        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; form-action 'none'; base-uri 'none'",
                ],
                body: ResponseBody(byteBuffer: ByteBuffer(string: html))
            )
        )
    }

    /// A `303 See Other` to a page of this host, with a notice shown there once.
    ///
    /// - Parameters:
    ///   - path: A local path (`/supervision/cooperatives/3`); anything else goes to `/`.
    ///   - notice: A message in the viewer's language ("Sessionen är sparad.").
    public static func redirect(to path: String, notice: String? = nil) -> PageResult {
        var response = Response(status: .seeOther, headers: [.location: LocalPath.safe(path)])
        if let notice { response.setCookie(Notice.cookie(notice)) }
        return PageResult(response)
    }

    /// A CSV download of a list, for a spreadsheet (Excel) to open as it is: UTF-8 with a
    /// byte-order mark, and for a Swedish reader `;` between fields and a decimal comma
    /// (`1234,50`); for an English reader `,` and `.`. The page router writes it in the reader's
    /// language (Swedish until then, the pages' default). The API's CSV stays RFC 4180.
    public static func csv(_ csv: CSV, filename: String) -> PageResult {
        PageResult(download: csv, filename: filename, language: .sv)
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response { response }
}

/// Local paths only: a `next=` or redirect target never leads off the host.
public enum LocalPath {
    /// `path` when it is a path on this host (`/…`, not `//…`), `/` otherwise.
    ///
    /// Browsers drop tabs and line breaks from a `Location` and read a backslash as a slash, so
    /// `/\t/evil.example` or `/\\evil.example` would lead to another host: a path with any
    /// control character, whitespace or backslash is refused, and so is a percent-encoded slash
    /// or backslash before the query (`/%2F/evil.example`), which a second decoding would turn
    /// into one.
    public static func safe(_ path: String?) -> String {
        guard let path, path.hasPrefix("/"), !path.hasPrefix("//"),
            !path.unicodeScalars.contains(where: refused),
            !path.prefix { $0 != "?" && $0 != "#" }.lowercased().contains(/%(2f|5c)/)
        else { return "/" }
        return path
    }

    /// Whether `scalar` may not appear in a local path: a backslash, whitespace, or a control
    /// or format character.
    private static func refused(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == "\\" || scalar.properties.isWhitespace { return true }
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator: return true
        default: return false
        }
    }
}

/// The once-shown notice after a redirect, carried in a short-lived cookie.
public enum Notice {
    /// The cookie's name.
    public static let cookieName = "kooperator_notice"

    /// A cookie holding `text` (base64url, so any text is a valid cookie value).
    static func cookie(_ text: String) -> Cookie {
        let encoded = Data(String(text.prefix(300)).utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        return Cookie(name: cookieName, value: encoded, maxAge: 60, path: "/", httpOnly: true, sameSite: .lax)
    }

    /// The text of a notice cookie's value; `nil` when it is not one.
    public static func text(ofCookie value: String) -> String? {
        var base64 = value.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64).flatMap { String(data: $0, encoding: .utf8) }
    }
}

extension CSV.Dialect {
    /// The spreadsheet dialect of a reader of `language`: `;` and a decimal comma in Swedish
    /// (Excel's list separator and decimal sign there), `,` and `.` in English; a byte-order mark
    /// in both.
    public static func spreadsheet(for language: Language) -> CSV.Dialect {
        .spreadsheet(decimalComma: language == .sv)
    }
}
