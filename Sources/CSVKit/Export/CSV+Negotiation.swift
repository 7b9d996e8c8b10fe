public import OpenAPIRuntime

extension CSV {
    /// Whether the client of a generated operation asked for CSV: `?format=csv`, or `text/csv` in an
    /// `Accept` header it sent. Without the header the OpenAPI runtime stands in every content type
    /// of the operation, which is no request for CSV: such a client gets JSON, as it always did.
    ///
    /// - Parameters:
    ///   - format: The `format` query parameter's value, if given.
    ///   - accept: The operation's `input.headers.accept`.
    ///   - csv: The operation's `text/csv` content type.
    public static func isRequested<Content: AcceptableProtocol>(
        format: String?,
        accept: [AcceptHeaderContentType<Content>],
        csv: Content
    ) -> Bool {
        format == "csv" || (accept != AcceptHeaderContentType<Content>.defaultValues && accept.contains { $0.contentType == csv })
    }

    /// The `Content-Disposition` of a download saved as `filename`; characters other than letters,
    /// digits, `-`, `_` and `.` are left out, so the name needs no quoting beyond its quotes.
    public static func attachment(filename: String) -> String {
        let safeName = String(filename.filter { $0.isLetter || $0.isNumber || "-_.".contains($0) }.prefix(100))
        return #"attachment; filename="\#(safeName)""#
    }
}
