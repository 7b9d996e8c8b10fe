public import DataAccess
public import PluginKit

/// An entry in the navigation the host's layout shows: only for an enabled feature, and only to
/// a user holding ``permission``.
public struct NavigationEntry: Sendable {
    /// The key of the entry's text in the feature's catalogue.
    public let titleKey: String
    /// Where it leads (`/supervision`).
    public let path: String
    /// What the user must hold to see it.
    public let permission: Permission

    /// Creates an entry.
    public init(titleKey: String, path: String, permission: Permission) {
        self.titleKey = titleKey
        self.path = path
        self.permission = permission
    }
}

/// Something that needs attention now, for the start page: a review due, a report overdue, a
/// cooperative without sessions. Its texts are in the viewer's language already.
public struct AttentionItem: Sendable, Hashable {
    /// What it is ("Uppföljning av uppdrag").
    public var title: String
    /// What it concerns ("Café Gläntan").
    public var subject: String
    /// The day it is due, if it has one.
    public var due: LocalDate?
    /// Whether that day has passed.
    public var overdue: Bool
    /// The page of the record.
    public var link: String

    /// Creates an item.
    public init(title: String, subject: String, due: LocalDate?, overdue: Bool, link: String) {
        self.title = title
        self.subject = subject
        self.due = due
        self.overdue = overdue
        self.link = link
    }
}

/// A part of another target's page that a feature contributes: what the feature knows about an
/// organisation, shown on the registry's organisation page.
public struct PageSection: Sendable, Hashable {
    /// The section's heading.
    public var title: String
    /// The section's body, rendered from the feature's own template (escaped there).
    public var html: String
    /// Where the feature's own page about it is, if it has one.
    public var link: String?

    /// Creates a section.
    public init(title: String, html: String, link: String? = nil) {
        self.title = title
        self.html = html
        self.link = link
    }
}

/// A page as a feature rendered it, before the host's layout wraps it.
public struct RenderedPage: Sendable {
    /// The page's title (the `<title>` and the `<h1>`).
    public var title: String
    /// The page's main content.
    public var body: String

    /// Creates a page.
    public init(title: String, body: String) {
        self.title = title
        self.body = body
    }
}
