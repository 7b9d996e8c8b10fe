package import DataAccess
package import Foundation
package import HTTPTypes
package import PageKit
package import PluginKit
package import Testing

@testable package import Host

extension HostFixture {
    /// Gives the users ``tokensPerRole(_:provider:)`` made (`user-<role>`) ``pagePassword`` for the sign-in page.
    package static func setPagePasswords(_ runtime: HostRuntime) async throws {
        for role in Role.walked(in: runtime) {
            try await runtime.users.setPassword(user: "user-\(role)", password: pagePassword, actor: .system)
        }
    }

    /// A host with every feature on and the demo story loaded, a user per role (a scoped role
    /// working for the first social-economy organisation, which it returns) with ``pagePassword``.
    package static func demoRuntime() async throws -> (runtime: HostRuntime, umbrella: Int) {
        let runtime = try await accessRuntime(features: everyFeature, plugins: AvailablePlugins.all)
        try await runtime.loadDemo()
        let umbrella: Int = try await runtime.database.query(
            "SELECT id FROM registry.organisations WHERE kind = 'socialEconomyOrganisation' ORDER BY id LIMIT 1"
        ).single().decode("id")
        _ = try await tokensPerRole(runtime, provider: umbrella)
        try await setPagePasswords(runtime)
        return (runtime, umbrella)
    }

    /// The pages of an enabled feature, as the host loads them.
    package static func featurePages(_ runtime: HostRuntime, _ id: String) throws -> any PageProvider {
        let feature = try #require(runtime.features.enabled.first { $0.id == id })
        let plugin = try #require(feature.plugin as? any PageFeature)
        return try #require(try plugin.pages(context: runtime.context(for: id)))
    }

    /// The feature's templates use no text its catalogue lacks, and every text has both languages.
    package static func checkCatalogue(_ runtime: HostRuntime, _ id: String, templates names: [String]) throws {
        let templates = try featurePages(runtime, id).templates
        #expect(templates.missingTexts.isEmpty, "missing: \(templates.missingTexts.sorted())")
        #expect(templates.strings.untranslatedKeys.isEmpty, "untranslated: \(templates.strings.untranslatedKeys)")
        #expect(names.allSatisfy(templates.names.contains), "templates: \(templates.names.sorted())")
    }

    /// The `n` of a `SELECT count(*) AS n …`.
    package static func count(_ runtime: HostRuntime, _ sql: SQL) async throws -> Int {
        try await runtime.database.query(sql).single().decode("n", as: Int.self)
    }
}

extension PageBrowser {
    /// Asks for each path and expects its status, and an HTML page (errors included).
    package mutating func expectPages(
        _ expectations: [(String, HTTPResponse.Status)],
        as role: Role,
        sourceLocation: SourceLocation = #_sourceLocation
    )
        async throws
    {
        for (path, status) in expectations {
            let page = try await get(path)
            #expect(page.status == status, "\(role) GET \(path)", sourceLocation: sourceLocation)
            #expect(page.headers[.contentType]?.hasPrefix("text/html") == true, "\(role) GET \(path) is a page", sourceLocation: sourceLocation)
        }
    }
}

/// The refusals a target's pages can show, and the texts its catalogue holds for them.
package enum WordingCheck {
    /// The package's root, from this file's place in it.
    package static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The wording keys `folder`'s Swift sources name (`wording: "key"`, `Wording("key", …)`,
    /// either side of a `?:`, before the values' `[`); a key built at run time (ending in `_`) is left out.
    package static func keys(in folder: String) throws -> Set<String> {
        var keys: Set<String> = []
        let files = FileManager.default.enumerator(at: root.appending(path: folder), includingPropertiesForKeys: nil)
        while let file = files?.nextObject() as? URL {
            guard file.pathExtension == "swift" else { continue }
            for line in try String(contentsOf: file, encoding: .utf8).split(separator: "\n") where !line.contains("///") {
                for use in line.matches(of: /(?:wording: |Wording\()([^\[\n]*)/) {
                    for key in use.1.matches(of: /"([a-z][A-Za-z_]*)"/) where !key.1.hasSuffix("_") { keys.insert(String(key.1)) }
                }
            }
        }
        return keys
    }

    /// Every feature's folder, `Plugins/<Name>`, read off the source tree.
    package static var featureFolders: [String] {
        let plugins = root.appending(path: "Plugins")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: plugins.path)) ?? []
        return names.filter { name in
            var isFolder: ObjCBool = false
            return FileManager.default.fileExists(atPath: plugins.appending(path: name).path, isDirectory: &isFolder) && isFolder.boolValue
        }.sorted().map { "Plugins/" + $0 }
    }

    /// The keys of `folder`'s sources that `folder/Resources` lacks a text for, under `error_`
    /// or `finding_`; a target without pages of its own (PluginKit, FeatureSupport) is checked
    /// against PageKit's shared catalogue.
    package static func missing(in folder: String) throws -> [String] {
        var resources = root.appending(path: folder).appending(path: "Resources")
        if !FileManager.default.fileExists(atPath: resources.path) { resources = root.appending(path: "Sources/PageKit/Resources") }
        let templates = try PageTemplates(resources: resources)
        return try keys(in: folder).filter { key in
            templates.strings.entries["error_" + key] == nil && templates.strings.entries["finding_" + key] == nil
        }.sorted()
    }
}
