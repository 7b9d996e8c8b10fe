import DataAccess
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import PageKit
import PluginKit
import Registry

/// The host's own pages: sign-in and sign-out, the language switch, the start page with what
/// needs attention in every enabled feature, and the style sheet.
struct WebController: Sendable {
    let pages: HostPages
    let sessions: SessionStore
    let secureCookies: Bool
    /// Signs the sign-in form's token, so only a token this host (or one sharing its key) made
    /// is accepted.
    let vault: IdentityVault
    /// Tells the client's address for the sign-in throttle.
    let clientAddress: ClientAddress

    /// The cookie that ties the sign-in form to the browser that asked for it (the form's CSRF
    /// token before there is a session).
    static let signInCookie = "kooperator_signin"
    /// What the sign-in token's signature is for.
    static let signInPurpose = "sign-in form"

    /// Adds the routes open without a session.
    func registerOpen(on group: RouterGroup<AppRequestContext>) {
        group.get("login") { request, context in try await signInPage(request: request, context: context) }
        group.post("login") { request, context in try await signIn(request: request, context: context) }
        group.get("language") { request, _ in
            let language = Language(code: request.uri.queryParameters.get("lang"))
            var response = Response(status: .seeOther, headers: [.location: LocalPath.safe(request.uri.queryParameters.get("next"))])
            response.setCookie(
                Cookie(
                    name: LanguageCookie.name,
                    value: language.rawValue,
                    maxAge: 365 * 86_400,
                    path: "/",
                    secure: secureCookies,
                    httpOnly: true,
                    sameSite: .lax
                )
            )
            return response
        }
        for (path, type, text) in [
            ("static/kooperator.css", "text/css; charset=utf-8", pages.styleSheet),
            ("static/combobox.js", "text/javascript; charset=utf-8", pages.script),
        ] {
            group.get(RouterPath(path)) { _, _ in
                Response(
                    status: .ok,
                    headers: [.contentType: type, .cacheControl: "public, max-age=3600"],
                    body: ResponseBody(byteBuffer: ByteBuffer(string: text))
                )
            }
        }
    }

    /// Adds the routes that need a session.
    func registerSignedIn(on group: RouterGroup<AppRequestContext>) {
        group.get("") { request, context in try await startPage(request: request, context: context) }
        group.post("logout") { request, context in
            var response = Response(status: .seeOther, headers: [.location: "/login"])
            if let cookie = request.cookies[SessionStore.cookieName]?.value, let session = try await sessions.session(forCookie: cookie) {
                try await sessions.signOut(session, requestID: context.id)
            }
            response.setCookie(sessionCookie(value: "", maxAge: 0))
            return response
        }
    }

    // MARK: - Sign-in

    func signInPage(
        request: Request,
        context: AppRequestContext,
        name: String = "",
        error: String? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let language = Language(code: request.cookies[LanguageCookie.name]?.value)
        let next = LocalPath.safe(request.uri.queryParameters.get("next") ?? context.web?.form.raw("next"))
        if status == .ok, let cookie = request.cookies[SessionStore.cookieName]?.value, try await sessions.session(forCookie: cookie) != nil {
            return Response(status: .seeOther, headers: [.location: next])
        }
        // Always a new token: one a browser brings along may have been planted by someone else.
        let token = newSignInToken()
        let strings = pages.templates.strings
        var form = PageForm(
            action: "/login",
            submit: strings.text("signIn", language),
            fields: [
                FormField("username", label: strings.text("userName", language), value: name, required: true, autocomplete: "username"),
                FormField("password", kind: .password, label: strings.text("password", language), required: true, autocomplete: "current-password"),
                FormField("next", kind: .hidden, label: "", value: next),
            ]
        )
        if let error { form.fill(FormValues([("username", name), ("next", next)]), error: FeatureError(.invalidInput, error)) }
        let data: [String: Any] = ["t": pages.templates.texts(for: language), "form": form, "csrf": token, "once": ""]
        let title = strings.text("signInTitle", language)
        let body = try pages.templates.render("login", data)
        var response = PageResult.html(
            pages.document(
                for: RenderedPage(title: title, body: body),
                principal: nil,
                session: nil,
                language: language,
                target: RequestTarget(request)
            ),
            status: status
        ).response
        response.setCookie(Cookie(name: Self.signInCookie, value: token, path: "/", secure: secureCookies, httpOnly: true, sameSite: .strict))
        return response
    }

    func signIn(request: Request, context: AppRequestContext) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: 16_384)
        let form = FormValues(urlEncoded: String(buffer: body))
        var context = context
        context.web = WebSession(id: 0, csrfToken: "", language: .sv, form: form)
        guard let expected = request.cookies[Self.signInCookie]?.value, let given = form.raw("_csrf"), WebSessionMiddleware.equal(expected, given),
            isSignInToken(given)
        else {
            throw CSRFRefusal()
        }
        let language = Language(code: request.cookies[LanguageCookie.name]?.value)
        let name = form["username"] ?? ""
        let address = clientAddress.address(peer: context.remoteAddress, headers: request.headers)
        do {
            let (_, cookie) = try await sessions.signIn(name: name, password: form.raw("password") ?? "", address: address, requestID: context.id)
            var response = Response(status: .seeOther, headers: [.location: LocalPath.safe(form.raw("next"))])
            response.setCookie(sessionCookie(value: cookie, maxAge: nil))
            response.setCookie(
                Cookie(name: Self.signInCookie, value: "", maxAge: 0, path: "/", secure: secureCookies, httpOnly: true, sameSite: .strict)
            )
            return response
        } catch SessionStore.SignInRefusal.throttled(let seconds) {
            return throttledAnswer(language: language, retryAfter: seconds)
        } catch let refusal as SessionStore.SignInRefusal {
            let (key, status, retryAfter): (String, HTTPResponse.Status, Int?) =
                switch refusal {
                case .wrongNameOrPassword: ("signInWrong", .unprocessableContent, nil)
                case .locked(let seconds): ("signInLocked", .tooManyRequests, seconds)
                case .throttled(let seconds): ("signInThrottled", .tooManyRequests, seconds)  // answered above
                case .busy: ("signInBusy", .serviceUnavailable, 1)
                }
            var response = try await signInPage(
                request: request,
                context: context,
                name: name,
                error: pages.templates.strings.text(key, language),
                status: status
            )
            if let retryAfter { response.headers[.retryAfter] = String(max(retryAfter, 1)) }
            return response
        }
    }

    /// The answer to an address that made too many sign-in attempts: 429 with `Retry-After` and a
    /// short page saying so, without the layout or a new form (rendering the sign-in page takes
    /// about a millisecond of CPU, which a flood from one address would otherwise take from every
    /// other request).
    func throttledAnswer(language: Language, retryAfter: Int) -> Response {
        let strings = pages.templates.strings
        let (title, text, again) = (
            Self.escaped(strings.text("signInTitle", language)), Self.escaped(strings.text("signInThrottled", language)),
            Self.escaped(strings.text("signIn", language))
        )
        let html = """
            <!doctype html><html lang="\(language.rawValue)"><head><meta charset="utf-8"><title>\(title)</title></head>
            <body><main><h1>\(title)</h1><p role="alert">\(text)</p><p><a href="/login">\(again)</a></p></main></body></html>
            """
        return Response(
            status: .tooManyRequests,
            headers: [.contentType: "text/html; charset=utf-8", .retryAfter: String(max(retryAfter, 1)), .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: html))
        )
    }

    /// `text` with `&`, `<`, `>` and `"` escaped for HTML.
    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// A sign-in form token: 256 random bits and this host's signature of them (`random.signature`,
    /// base64url). The form carries it and a cookie holds it; a post is accepted only when the two
    /// are the same and the signature is the host's, so a token a browser was given by anyone
    /// else (a planted cookie) is refused.
    func newSignInToken() -> String {
        let random = TokenAuthenticator.newToken().token
        return random + "." + Self.base64URL(vault.signature(of: random, purpose: Self.signInPurpose))
    }

    /// Whether `token` is one ``newSignInToken()`` made.
    func isSignInToken(_ token: String) -> Bool {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let signature = Self.data(base64URL: String(parts[1])) else { return false }
        return vault.isSignature(signature, of: String(parts[0]), purpose: Self.signInPurpose)
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func data(base64URL text: String) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64)
    }

    func sessionCookie(value: String, maxAge: Int?) -> Cookie {
        Cookie(name: SessionStore.cookieName, value: value, maxAge: maxAge, path: "/", secure: secureCookies, httpOnly: true, sameSite: .lax)
    }

    // MARK: - Start page

    /// How many of a feature's items the start page lists; it says how many more there are.
    static let attentionShown = 25

    func startPage(request: Request, context: AppRequestContext) async throws -> Response {
        guard let principal = context.principal, let session = context.web else {
            throw FeatureError(.unauthenticated, "sign in to see this page")
        }
        let page = PageContext(
            principal: principal,
            session: session,
            requestContext: context,
            target: RequestTarget(request),
            templates: pages.templates,
            host: pages
        )
        // Every feature's list at once: the page waits for the slowest, not for their sum.
        let lists = await withTaskGroup(of: (Int, Result<[AttentionItem], any Error>).self) { group in
            for (index, provider) in pages.providers.enumerated() {
                group.addTask {
                    do { return (index, .success(try await provider.pages.attention(context: page.with(templates: provider.pages.templates)))) } catch
                    {
                        return (index, .failure(error))
                    }
                }
            }
            var lists: [Int: Result<[AttentionItem], any Error>] = [:]
            for await (index, result) in group { lists[index] = result }
            return lists
        }
        var groups: [[String: Any]] = []
        var total = 0
        for (index, provider) in pages.providers.enumerated() {
            let providerPage = page.with(templates: provider.pages.templates)
            let title = provider.pages.navigation.first.map { providerPage.text($0.titleKey) } ?? provider.featureID
            let items: [AttentionItem]
            switch lists[index] {
            case .success(let found)?: items = found
            case .failure(let error)?:
                context.logger.error("the start page's list from \(provider.featureID) failed: \(String(reflecting: error))")
                groups.append(["id": provider.featureID, "title": title, "failed": true, "items": [] as [Any]])
                continue
            case nil: continue
            }
            guard !items.isEmpty else { continue }
            total += items.count
            // Overdue first, then by the day due (none last).
            let sorted = items.sorted { ($0.overdue ? 0 : 1, $0.due?.daysSinceEpoch ?? .max) < ($1.overdue ? 0 : 1, $1.due?.daysSinceEpoch ?? .max) }
            // The most urgent first, a screenful of them; the rest are counted, with the way to the feature.
            let hidden = sorted.count - Self.attentionShown
            var group: [String: Any] = [
                "id": provider.featureID,
                "title": title,
                "items": sorted.prefix(Self.attentionShown).map { item in
                    var view: [String: Any] = ["title": item.title, "subject": item.subject, "overdue": item.overdue, "link": item.link]
                    if let due = item.due { view["due"] = due.description }  // no key, not "": an empty text is true to mustache
                    return view
                },
            ]
            if hidden > 0, let path = provider.pages.navigation.first?.path {
                group["more"] = ["link": path, "text": page.text("attentionMore", ["count": String(hidden), "feature": title])]
            }
            groups.append(group)
        }
        let title = page.text("startTitle")
        return try page.render("start", title: title, ["groups": groups, "nothing": total == 0 && groups.isEmpty]).response
    }
}
