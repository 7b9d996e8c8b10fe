import DataAccess
import Education
import Foundation
import HTTPTypes
import HostTestSupport
import Hummingbird
import HummingbirdTesting
import PluginKit
import Registry
import TestSupport
import Testing

@testable import Host

/// `database.readUrl`: the reports declared lag-tolerant read a standby; everything else, the primary.
@Suite("Reads from a standby")
struct ReadReplicaTests {
    @Test("a lag-tolerant report reads the readUrl pool; a list of what was just written reads the primary")
    func reportsReadTheStandby() async throws {
        try await TestPostgres.withDatabase { _, primaryURL in
            try await TestPostgres.withDatabase { _, standbyURL in
                let features = "education: { enabled: true }"
                let plugins = HostFixture.plugins + [EducationPlugin.self]
                // The standby has the same schema (as a physical standby would).
                let standbyHost = try HostFixture.runtime(url: standbyURL, features: features, plugins: plugins)
                try await standbyHost.migrate()
                await standbyHost.shutdown()
                let runtime = try HostFixture.runtime(
                    url: primaryURL,
                    features: features,
                    extra: "database:\n  readUrl: \"\(standbyURL)\"\nsecurity:\n  tokenCacheSeconds: 0",
                    plugins: plugins
                )
                #expect(runtime.configuration.host.database.readURL == standbyURL)
                try await runtime.migrate()
                _ = try await runtime.users.add(name: "officer", displayName: nil, role: .officer, organisationID: nil, actor: .system)
                let token = try await runtime.users.issueToken(user: "officer", days: 1, label: nil, actor: .system).1
                let replica = try #require(runtime.database.replica)
                try await buildApplication(runtime: runtime).test(.router) { client in
                    let headers: HTTPFields = [.authorization: "Bearer \(token)"]
                    let list = try await client.execute(uri: "/api/v1/education/circles", method: .get, headers: headers)
                    #expect(list.status == .ok)
                    #expect(replica.statistics.idle == 0, "a list reads the primary: the standby's pool opened no connection")
                    let report = try await client.execute(
                        uri: "/api/v1/education/reports/period?from=2015-01-01&to=2015-12-31",
                        method: .get,
                        headers: headers
                    )
                    #expect(report.status == .ok)
                    #expect(replica.statistics.idle == 1, "the report was read on the standby")
                }
                await runtime.shutdown()
            }
        }
    }

    @Test("database.readUrl is checked like database.url and needs it")
    func readUrlSetting() throws {
        let withoutURL = try HostFixture.configuration("database:\n  readUrl: \"postgresql://standby/kooperator\"").1
        #expect(withoutURL.contains { $0.keyPath == "database.readUrl" })
        let notAURL = try HostFixture.configuration("database:\n  url: \"postgresql://primary/kooperator\"\n  readUrl: \"ftp://x\"").1
        #expect(notAURL.contains { $0.keyPath == "database.readUrl" })
        let fine = try HostFixture.configuration(
            "database:\n  url: \"postgresql://h1:5432,h2:5432/kooperator?target_session_attrs=read-write\"\n  readUrl: \"postgresql://h1:5432,h2:5432/kooperator?target_session_attrs=prefer-standby\""
        )
        #expect(fine.1.isEmpty, "\(fine.1)")
        #expect(fine.0?.host.database.readURL?.contains("prefer-standby") == true)
    }
}
