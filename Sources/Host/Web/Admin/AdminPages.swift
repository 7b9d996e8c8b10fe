import DataAccess
import Foundation
import Hummingbird
import PageKit
import PluginKit
import Registry

/// The administrator's pages at `/admin`: the users, one user with its tokens, and the links to
/// the forms of the host's own write operations (add, change and disable a user, set a password,
/// issue and revoke a token), which ``OperationForms`` derives from `Sources/Host/openapi.yaml`;
/// and every user's own settings page (`/admin/settings`: e-mail address, language of the mail,
/// the reminder digest), since the host's forms live here. The pages only read; every write goes
/// through the host's API handlers.
struct AdminPages: PageProvider {
    /// Where the pages and the host's forms are: `/admin`.
    static let id = "admin"
    static let manage = KernelPermissions.usersManage

    let templates: PageTemplates
    let users: UserStore
    let roles: RoleCatalogue

    /// The signed-in user's own settings page.
    static let settingsPath = "/admin/settings"

    var navigation: [NavigationEntry] {
        [
            NavigationEntry(titleKey: "adminTitle", path: "/admin/users", permission: Self.manage),
            NavigationEntry(titleKey: "mySettingsTitle", path: Self.settingsPath, permission: KernelPermissions.ownSettings),
        ]
    }

    func addPages(to router: PageRouter) {
        router.get("settings", requiring: KernelPermissions.ownSettings) { _, page in try await settings(page) }
        router.get("users", requiring: Self.manage) { _, page in try await list(page) }
        router.get("users/{name}", requiring: Self.manage) { _, page in
            try await user(try page.requestContext.parameters.require("name"), page: page)
        }
    }

    /// Every user, with the link that adds one.
    func list(_ page: PageContext) async throws -> PageResult {
        let rows = try await users.list().map { user in
            [
                "name": user.name, "link": "/admin/users/\(Self.encoded(user.name))", "displayName": user.displayName,
                "role": roleName(user.role, page.language), "state": page.text(user.disabledAt == nil ? "userActive" : "userDisabled"),
            ]
        }
        let data: [String: Any] = [
            "rows": rows,
            "newUser": page.formLink(Self.id, "addUser", requiring: Self.manage) ?? "",
        ]
        return try page.render("adminUsers", title: page.text("adminTitle"), data)
    }

    /// One user: its role, organisation and state, its tokens (never the tokens themselves), and
    /// the links to what can be done.
    func user(_ name: String, page: PageContext) async throws -> PageResult {
        let user = try await users.user(named: name)
        let tokens = try await users.tokens(of: user.name)
        let key = ["name": user.name]
        let active = user.disabledAt == nil
        var actions: [[String: String]] = []
        func action(_ operation: String, _ label: String) {
            if let link = page.formLink(Self.id, operation, key, requiring: Self.manage) {
                actions.append(["link": link, "label": page.text(label)])
            }
        }
        action("changeUser", "changeUser")
        if active {
            action("setUserPassword", "setPassword")
            action("issueToken", "issueToken")
            action("disableUser", "disableUser")
        }
        let now = Date()
        let rows = tokens.map { token -> [String: String] in
            let state =
                token.revokedAt != nil ? "tokenRevoked" : token.expiresAt <= now ? "tokenExpired" : "tokenActive"
            var row = [
                "label": token.label.isEmpty ? "–" : token.label, "id": String(token.id),
                "created": Self.day(token.createdAt), "expires": Self.day(token.expiresAt),
                "lastUsed": token.lastUsedAt.map(Self.day) ?? "–", "state": page.text(state),
            ]
            if state == "tokenActive",
                let link = page.formLink(Self.id, "revokeToken", ["id": String(token.id), "user": user.name], requiring: Self.manage)
            {
                row["revokeLink"] = link
            }
            return row
        }
        let facts = [
            ["label": page.text("userName"), "value": user.name],
            ["label": page.text("userRole"), "value": roleName(user.role, page.language)],
            ["label": page.text("userState"), "value": page.text(active ? "userActive" : "userDisabled")],
        ]
        var organisation: [String: String] = [:]
        if let id = user.organisationId {
            let name = try await users.database.withConnection { db in try users.registry.organisation(id: id, reach: .everything, in: db).name }
            organisation = ["name": name, "link": "/registry/organisations/\(id)"]
        }
        return try page.render(
            "adminUser",
            title: user.displayName,
            ["facts": facts, "actions": actions, "tokens": rows, "organisation": organisation]
        )
    }

    /// The signed-in user's own settings, with the link to the form that changes them.
    func settings(_ page: PageContext) async throws -> PageResult {
        let settings = try await users.settings(ofUser: page.principal.userID)
        let facts = [
            ["label": page.text("field.email"), "value": settings.email ?? page.text("noEmail")],
            ["label": page.text("field.language"), "value": page.text("value.language.\(settings.language.rawValue)")],
            [
                "label": page.text("field.reminderDigest"),
                "value": page.text(settings.reminderDigest && settings.email != nil ? "digestOn" : "digestOff"),
            ],
        ]
        let change = page.formLink(Self.id, "changeMySettings", requiring: KernelPermissions.ownSettings) ?? ""
        return try page.render("mySettings", title: page.text("mySettingsTitle"), ["facts": facts, "change": change])
    }

    /// The roles a user can be given (`role`), and the active users a record can name as
    /// responsible (`user`, by display name with their role), by their names in the viewer's language.
    func choices(
        _ kind: String,
        matching text: String?,
        including ids: [Int],
        limit: Int,
        context page: PageContext
    ) async throws -> [FormField.Option] {
        let wanted = text.map(SearchText.fold)
        switch kind {
        case "role":
            return roles.definitions
                .filter { definition in
                    wanted.map { SearchText.fold(definition.names[page.language] ?? definition.role.rawValue).contains($0) } ?? true
                }
                .map { FormField.Option(value: $0.role.rawValue, label: $0.names[page.language] ?? $0.role.rawValue) }
        case "user":
            // The people a record can name as responsible: active users by name, with their role
            // (the store refuses one of the wrong role); a scoped user sees their own
            // organisation's alone. A user already chosen stays listed.
            let chosen = Set(ids)
            let scope = page.principal.isScoped ? page.principal.organisationID : nil
            return try await users.list()
                .filter { user in
                    chosen.contains(user.id)
                        || (user.disabledAt == nil && (!page.principal.isScoped || user.organisationId == scope)
                            && (wanted.map { SearchText.fold(user.displayName).contains($0) } ?? true))
                }
                .sorted { ($0.displayName, $0.id) < ($1.displayName, $1.id) }
                .prefix(limit)
                .map { user in
                    // A display name that already says the role ("Birgitta Nordström (handläggare)") is not told it twice.
                    let role = roleName(user.role, page.language)
                    let named = SearchText.fold(user.displayName).contains(SearchText.fold(role))
                    return FormField.Option(value: String(user.id), label: named ? user.displayName : "\(user.displayName) (\(role))")
                }
        default:
            return []
        }
    }

    /// A role's name in `language`, its id when no document names it.
    func roleName(_ role: Role, _ language: Language) -> String { roles.definition(of: role)?.names[language] ?? role.rawValue }

    /// A login name in a path.
    static func encoded(_ name: String) -> String { name.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? name }

    /// A moment as its day (YYYY-MM-DD, UTC).
    static func day(_ date: Date) -> String { String(date.formatted(.iso8601).prefix(10)) }
}
