import HTTPTypes
import HostTestSupport
import Hummingbird
import HummingbirdTesting
import NIOCore
import PluginKit
import Testing

@testable import Host

extension HTTPErrorTests {
    @Test("a path parameter's maxLength counts the characters of the decoded value, not of its percent-encoding")
    func pathParameterLength() async throws {
        let runtime = try await HostFixture.accessRuntime(features: "", plugins: [])
        _ = try await runtime.users.add(name: "admin", displayName: nil, role: .admin, organisationID: nil, actor: .system)
        let token = try await runtime.users.issueToken(user: "admin", days: 1, label: nil, actor: .system).1
        try await buildApplication(runtime: runtime).test(.router) { client in
            // 40 characters (240 once encoded) fit the name's 63: no such user.
            let fits = try await client.execute(
                uri: "/api/v1/users/" + String(repeating: "%C3%A5", count: 40),
                method: .get,
                headers: [.authorization: "Bearer \(token)"]
            )
            #expect(fits.status == .notFound)
            let long = try await client.execute(
                uri: "/api/v1/users/" + String(repeating: "%C3%A5", count: 64),
                method: .get,
                headers: [.authorization: "Bearer \(token)"]
            )
            #expect(long.status == .badRequest)
            #expect(try problem(long).detail.contains("the path parameter 'name' is 64 characters long; at most 63"))
        }
    }
}
