import Foundation
import HTTPTypes
import Hummingbird
import PluginKit

/// With `http.secureCookies` (the default unless the host listens on a loopback address): every
/// cookie of the host travels as `__Host-<name>`, marked `Secure`, with `Path=/` and no `Domain`,
/// and every response carries `Strict-Transport-Security`.
///
/// A browser accepts a `__Host-` cookie only from a secure origin and only for this exact host,
/// so a neighbouring host of the same domain, or a page served over plain HTTP on the way, cannot
/// plant or overwrite the session, sign-in or language cookie. The rest of the host reads and
/// writes its cookies by their plain names (`kooperator_session`); this middleware is the one place
/// that translates: on the way in it keeps only the prefixed cookies and drops the prefix (a plain
/// `kooperator_session` a browser sends is ignored, whoever set it), on the way out it prefixes and
/// secures each `Set-Cookie`.
struct SecureTransportMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    /// The prefix browsers hold to the secure-origin, this-host-only rules.
    static let prefix = "__Host-"
    /// One year; browsers remember to use HTTPS for the host that long after each visit.
    static let strictTransportSecurity = "max-age=31536000"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(Self.unprefixed(request), context)
        let cookies = response.headers[values: .setCookie]
        if !cookies.isEmpty {
            response.headers[.setCookie] = nil
            for cookie in cookies { response.headers.append(HTTPField(name: .setCookie, value: Self.secured(cookie))) }
        }
        response.headers[.strictTransportSecurity] = Self.strictTransportSecurity
        return response
    }

    /// `request` with only its `__Host-` cookies, under their plain names.
    static func unprefixed(_ request: Request) -> Request {
        let values = request.headers[values: .cookie]
        guard !values.isEmpty else { return request }
        let kept = values.flatMap { $0.split(separator: ";") }
            .map { $0.drop { $0.isWhitespace } }
            .compactMap { $0.hasPrefix(prefix) ? $0.dropFirst(prefix.count) : nil }
        var head = request.head
        head.headerFields[.cookie] = kept.isEmpty ? nil : kept.joined(separator: "; ")
        return Request(head: head, body: request.body)
    }

    /// A `Set-Cookie` value as a `__Host-` cookie: the name prefixed, `Path=/`, `Secure`, no
    /// `Domain`; its other attributes kept.
    static func secured(_ setCookie: String) -> String {
        var parts = setCookie.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard !parts.isEmpty else { return setCookie }
        let pair = parts.removeFirst()
        let attributes = parts.filter { part in
            let name = part.split(separator: "=", maxSplits: 1).first.map { $0.lowercased() } ?? ""
            return !["path", "domain", "secure"].contains(name)
        }
        return ([prefix + pair] + attributes + ["Path=/", "Secure"]).joined(separator: "; ")
    }
}
