/// The signed-in browser session of a page request, which the host's session middleware puts
/// into the request context's `web`: the CSRF token every form carries, the chosen language, a
/// notice left by the previous request's redirect, and the posted form.
public struct WebSession: Sendable {
    /// The session's id in `kernel.sessions`.
    public let id: Int
    /// The token every form posts back as `_csrf`; a form without it is refused with 403.
    public let csrfToken: String
    /// The language of the pages.
    public let language: Language
    /// A message from the redirect that led here ("Sparat."), shown once.
    public var notice: String?
    /// The posted form of a `POST`; empty for a `GET`. For a `multipart/form-data` post, its
    /// text fields.
    public var form: FormValues
    /// The files of a `multipart/form-data` post (``MultipartForm``); empty otherwise.
    public var files: [MultipartForm.File] = []

    /// Creates a session; the host does this for each page request.
    public init(id: Int, csrfToken: String, language: Language, notice: String? = nil, form: FormValues = FormValues()) {
        self.id = id
        self.csrfToken = csrfToken
        self.language = language
        self.notice = notice
        self.form = form
    }
}
