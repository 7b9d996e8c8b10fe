public import PluginKit

extension AppRequestContext {
    /// The browser session of a page request (signed in with a cookie); `nil` for the API. The
    /// host's session middleware sets it; ``PageRouter`` refuses a page without it.
    public var web: WebSession? {
        get { pageSession as? WebSession }
        set { pageSession = newValue }
    }
}
