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
///   nothing is done. A `multipart/form-data` post (a file upload) carries it as one of its
///   fields; its files go into ``WebSession/files``.
/// - A `POST` with a `_once` token already used answers as the first post did (its redirect),
///   so a double click or a reload makes one record.
struct WebSessionMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    let sessions: SessionStore
    let maxBodyBytes: Int

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
            let body = try await request.collectBody(upTo: maxBodyBytes)
            // A form with a file comes as multipart/form-data; its CSRF token is one of its fields.
            if let boundary = request.headers[.contentType].flatMap(MultipartForm.boundary(contentType:)) {
                do {
                    let multipart = try MultipartForm(body: Array(buffer: body), boundary: boundary)
                    (web.form, web.files) = (multipart.fields, multipart.files)
                } catch {
                    throw FeatureError(.invalidInput, "the form could not be read: \(error.description)")
                }
            } else {
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
