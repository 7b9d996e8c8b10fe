import Foundation
import HTTPTypes
import Hummingbird
import Logging
import PageKit
import PluginKit

/// Signs page requests in from the session cookie and guards posted forms.
///
/// - A valid `kooperator_session` cookie puts its user and ``WebSession`` into the context; a
///   page without one answers with the sign-in page (the page router's 401, turned into a
///   redirect by ``PageErrorMiddleware``).
/// - A `POST` must carry the session's CSRF token as `_csrf`: without it the answer is 403 and
///   nothing is done.
/// - A `POST` with a `_once` token already used answers as the first post did (its redirect),
///   so a double click or a reload makes one record.
struct WebSessionMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    let sessions: SessionStore
    let maxBodyBytes: Int
    /// The page routes that take a file, and the permission each needs.
    let uploads: UploadRoutes
    /// The most a posted `multipart/form-data` form may hold (a file upload): the largest file a
    /// feature may take (`partnerships.maxAttachmentBytes` is at most 100 MiB) and its fields.
    var maxUploadBytes = 104_857_600 + 65_536

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        var request = request
        let language = Language(code: request.cookies[LanguageCookie.name]?.value)
        guard let cookie = request.cookies[SessionStore.cookieName]?.value, let session = try await sessions.session(forCookie: cookie) else {
            if request.method == .post { throw FeatureError(.unauthenticated, "the session has ended; sign in again") }
            return try await next(request, context)
        }
        var web = WebSession(
            id: session.id,
            csrfToken: session.csrfToken,
            language: language,
            notice: request.cookies[Notice.cookieName].flatMap { Notice.text(ofCookie: $0.value) }
        )
        context.principal = session.principal
        context.logger[metadataKey: "user"] = .string(session.principal.name)
        var once: String?
        if request.method == .post {
            if let boundary = MultipartForm.boundary(of: request.headers[.contentType]) {
                // A file upload: its own limit, the file's size checked by the page that takes it;
                // only on a route that takes one, for a user who may, before a byte is read.
                var limit = maxBodyBytes
                if let endpoint = context.endpointPath, let permission = uploads.permission(forEndpoint: endpoint) {
                    guard session.principal.holds(permission) else {
                        throw FeatureError(.forbidden, "this role may not upload here", wording: "forbidden")
                    }
                    limit = maxUploadBytes
                }
                let body = try await request.collectBody(upTo: limit)
                do {
                    (web.form, web.files) = try MultipartForm.parse(Data(body.readableBytesView), boundary: boundary)
                } catch {
                    throw FeatureError(.invalidInput, "the form could not be read; send it again")
                }
            } else {
                let body = try await request.collectBody(upTo: maxBodyBytes)
                web.form = FormValues(urlEncoded: String(buffer: body))
            }
            guard let token = web.form.raw("_csrf"), Self.equal(token, session.csrfToken) else {
                throw CSRFRefusal()
            }
            if let token = web.form.raw("_once"), !token.isEmpty, token.count <= 64 {
                switch try await sessions.claim(token, session: session.id) {
                case .first: once = token
                case .done(let location): return Response(status: .seeOther, headers: [.location: LocalPath.safe(location)])
                case .pending: throw FeatureError(.conflict, "this form has been sent already and is being handled")
                }
            }
        }
        context.web = web
        do {
            var response = try await next(request, context)
            if let once {
                try await sessions.finish(once, session: session.id, location: response.status == .seeOther ? response.headers[.location] : nil)
            }
            if web.notice != nil, !response.headers[values: .setCookie].contains(where: { $0.hasPrefix(Notice.cookieName + "=") }) {
                response.setCookie(Cookie(name: Notice.cookieName, value: "", maxAge: 0, path: "/", httpOnly: true, sameSite: .lax))
            }
            return response
        } catch {
            if let once { try? await sessions.finish(once, session: session.id, location: nil) }
            throw error
        }
    }

    /// Compares tokens in time independent of where they differ.
    static func equal(_ a: String, _ b: String) -> Bool {
        PasswordHasher.constantTimeEqual(Data(a.utf8), Data(b.utf8))
    }
}

/// A form posted without the session's CSRF token: refused with 403, nothing done.
struct CSRFRefusal: Error {}

/// The cookie that holds the chosen language.
enum LanguageCookie {
    static let name = "kooperator_lang"
}
