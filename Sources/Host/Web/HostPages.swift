import Foundation
import Hummingbird
import Logging
import PageKit
import PluginKit

/// The host's side of the pages: the layout every page is wrapped in (header, the navigation
/// of the enabled features the user may use, the signed-in user, the language switch), the
/// enabled features' page providers, and the gathering of their contributions (the start
/// page's attention list, the organisation page's sections).
struct HostPages: PageHost {
    /// An enabled feature's pages.
    struct Provider: Sendable {
        let featureID: String
        let pages: any PageProvider
    }

    /// The host's own templates and texts (layout, sign-in, start and error pages).
    let templates: PageTemplates
    let providers: [Provider]
    let logger: Logger
    /// The style sheet, served at `/static/kooperator.css`.
    let styleSheet: String
    /// The script that makes a record field a combobox, served at `/static/combobox.js`.
    let script: String

    /// Loads the host's templates and every enabled feature's pages.
    ///
    /// - Throws: ``PageSetupError`` naming the feature whose templates do not load.
    init(runtime: HostRuntime) throws {
        templates = try PageTemplates(bundle: .module)
        var providers: [Provider] = []
        for feature in runtime.features.enabled {
            do {
                if let plugin = feature.plugin as? any PageFeature, let pages = try plugin.pages(context: runtime.context(for: feature.id)) {
                    providers.append(Provider(featureID: feature.id, pages: pages))
                }
            } catch {
                throw PageSetupError("the pages of the feature \(feature.id) cannot be loaded: \(error)")
            }
        }
        // The administrator's pages, with the forms of the host's own operations.
        providers.append(Provider(featureID: AdminPages.id, pages: AdminPages(templates: templates, users: runtime.users, roles: runtime.roles)))
        self.providers = providers
        self.logger = runtime.logger
        let css = try PageTemplates.resources(of: .module).appendingPathComponent("static/kooperator.css")
        guard let text = try? String(contentsOf: css, encoding: .utf8) else {
            throw PageSetupError("the host's style sheet Resources/static/kooperator.css is missing")
        }
        styleSheet = text
        let js = try PageTemplates.resources(of: .module).appendingPathComponent("static/combobox.js")
        guard let code = try? String(contentsOf: js, encoding: .utf8) else {
            throw PageSetupError("the host's script Resources/static/combobox.js is missing")
        }
        script = code
    }

    // MARK: - PageHost

    func document(for page: RenderedPage, context: PageContext) -> String {
        document(
            for: page,
            principal: context.principal,
            session: context.session,
            language: context.language,
            target: context.target
        )
    }

    func organisationSections(_ organisationID: Int, context: PageContext) async throws -> [PageSection] {
        // Every feature at once; the sections keep the features' order.
        try await withThrowingTaskGroup(of: (Int, PageSection?).self) { group in
            for (index, provider) in providers.enumerated() {
                group.addTask {
                    (index, try await provider.pages.organisationSection(organisationID, context: context.with(templates: provider.pages.templates)))
                }
            }
            var sections: [Int: PageSection] = [:]
            for try await (index, section) in group { sections[index] = section }
            return sections.sorted { $0.key < $1.key }.map(\.value)
        }
    }

    // MARK: - Layout

    /// A navigation link as the layout shows it.
    struct NavigationLink {
        let title: String
        let path: String
        let current: Bool
    }

    /// The navigation of `principal`: the start page, then each enabled feature's entries it
    /// holds the permission of. The one current entry is the longest path the page is at or
    /// under (`/esf/progress-report`, not `/esf` as well).
    func navigation(for principal: Principal, language: Language, path: String) -> [NavigationLink] {
        var entries: [(title: String, path: String)] = []
        for provider in providers {
            for entry in provider.pages.navigation where principal.holds(entry.permission) {
                entries.append((provider.pages.templates.strings.text(entry.titleKey, language), entry.path))
            }
        }
        let current = entries.map(\.path).filter { path == $0 || path.hasPrefix($0 + "/") }.max { $0.count < $1.count }
        return [NavigationLink(title: templates.strings.text("startTitle", language), path: "/", current: path == "/")]
            + entries.map { NavigationLink(title: $0.title, path: $0.path, current: $0.path == current) }
    }

    /// The whole document; without a principal (the sign-in page, an error before sign-in) it
    /// has no navigation and no user.
    func document(for page: RenderedPage, principal: Principal?, session: WebSession?, language: Language, target: RequestTarget) -> String {
        let path = target.path
        let here = LocalPath.safe(target.description)
        var data: [String: Any] = [
            "t": templates.texts(for: language),
            "lang": language.rawValue,
            "title": page.title,
            "body": page.body,
            "languages": Language.allCases.map { code in
                [
                    "code": code.rawValue,
                    "label": templates.strings.text("language_" + code.rawValue, code),
                    "url": "/language?lang=\(code.rawValue)&next=\(QueryEncoding.encode(here, keeping: ["/"]))",
                    "current": code == language,
                ] as [String: Any]
            },
        ]
        if let principal, let session {
            data["user"] = ["name": principal.name, "role": templates.strings.text("role_" + principal.role.rawValue, language)]
            data["navigation"] = navigation(for: principal, language: language, path: path)
            data["csrf"] = session.csrfToken
            if let notice = session.notice { data["notice"] = notice }
        }
        do {
            return try templates.render("layout", data)
        } catch {
            logger.error("the layout does not render: \(error)")
            return "<!doctype html><html lang=\"sv\"><title>Kooperator</title><p>The page layout could not be rendered.</p></html>"
        }
    }
}
