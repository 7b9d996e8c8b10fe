import Crypto
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
///   so a double click or a reload makes one record: the token is the user's idempotency key
///   `form:<token>` (``IdempotentWrites``), stored with the form's write in its transaction. A
///   second post still running waits for the first; a post with other values and the same token
///   is refused (422); a form that came back with errors keeps nothing, so it can be sent again.
struct WebSessionMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    let sessions: SessionStore
    /// Where a form's one-time token and answer are kept.
    let writes: IdempotentWrites
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
            if let token = web.form.raw("_once"), !token.isEmpty, token.count <= 64 { once = token }
        }
        context.web = web
        func respond() async throws -> Response {
            var response = try await next(request, context)
            if web.notice != nil, !response.headers[values: .setCookie].contains(where: { $0.hasPrefix(Notice.cookieName + "=") }) {
                response.setCookie(Cookie(name: Notice.cookieName, value: "", maxAge: 0, path: "/", httpOnly: true, sameSite: .lax))
            }
            return response
        }
        guard let once else { return try await respond() }
        // The one-time token is an idempotency key of the signed-in user: the form's write and its
        // answer are stored together, and a repeat waits for the first and answers as it did.
        return try await writes.respond(
            userID: session.principal.userID,
            key: "form:" + once,
            fingerprint: IdempotentWrites.fingerprint(method: request.method, path: request.uri.description, body: Self.canonical(web)),
            respond
        )
    }

    /// The posted fields and files, each length-prefixed, so two different forms never read alike.
    static func canonical(_ web: WebSession) -> Data {
        var bytes = Data()
        func add(_ part: some Collection<UInt8>) {
            bytes.append(contentsOf: "\(part.count):".utf8)
            bytes.append(contentsOf: part)
        }
        for (name, value) in web.form.pairs where name != "_csrf" {
            add(Array(name.utf8))
            add(Array(value.utf8))
        }
        for file in web.files {
            add(Array(file.field.utf8))
            add(Array(file.filename.utf8))
            add(Array(SHA256.hash(data: file.content)))  // a file's digest, not a second copy of it
        }
        return bytes
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
