import DataAccess
import HTTPTypes
import PluginKit
import Testing

@testable import Host

extension HostFixture {
    /// Gives the users an access fixture made (`user-<role>`) ``pagePassword`` for the sign-in page.
    static func setPagePasswords(_ runtime: HostRuntime) async throws {
        for role in Role.allCases {
            try await runtime.users.setPassword(user: "user-\(role)", password: pagePassword, actor: .system)
        }
    }

    /// The pages of an enabled feature, as the host loads them.
    static func featurePages(_ runtime: HostRuntime, _ id: String) throws -> any PageProvider {
        let feature = try #require(runtime.features.enabled.first { $0.id == id })
        return try #require(try feature.plugin.pages(context: runtime.context(for: id)))
    }

    /// The feature's templates use no text its catalogue lacks, and every text has both languages.
    static func checkCatalogue(_ runtime: HostRuntime, _ id: String, templates names: [String]) throws {
        let templates = try featurePages(runtime, id).templates
        #expect(templates.missingTexts.isEmpty, "missing: \(templates.missingTexts.sorted())")
        #expect(templates.strings.untranslatedKeys.isEmpty, "untranslated: \(templates.strings.untranslatedKeys)")
        #expect(names.allSatisfy(templates.names.contains), "templates: \(templates.names.sorted())")
    }

    /// The `n` of a `SELECT count(*) AS n …`.
    static func count(_ runtime: HostRuntime, _ sql: SQL) async throws -> Int {
        try await runtime.database.query(sql).single().decode("n", as: Int.self)
    }
}

extension PageBrowser {
    /// Asks for each path and expects its status, and an HTML page (errors included).
    mutating func expectPages(
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
