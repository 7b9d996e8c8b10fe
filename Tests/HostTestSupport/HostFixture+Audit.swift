package import DataAccess
package import Foundation
package import HTTPTypes
package import Hummingbird
package import HummingbirdTesting
package import NIOCore

@testable package import Host

extension HostFixture {
    /// The newest audit row's id (0 for none): where ``audited(_:since:)`` starts.
    package static func lastAuditID(_ runtime: HostRuntime) async throws -> Int {
        try await runtime.database.query("SELECT coalesce(max(id), 0) AS n FROM kernel.audit_log").single().decode("n", as: Int.self)
    }

    /// The audit rows written after `id`, each as what two writes of the same kind share: who
    /// (user and name), the feature, the entity, the action and the fields it recorded
    /// (`user 4 user-officer supervision session create [assignmentId, minutes, …]`), and whether
    /// it names its request. A page's write and the API's are compared by these.
    package static func audited(_ runtime: HostRuntime, since id: Int) async throws -> [String] {
        try await runtime.database.query(
            """
            SELECT actor_user_id, actor, feature, entity, action, request_id IS NOT NULL AS has_request,
                   coalesce((SELECT string_agg(k, ',' ORDER BY k) FROM jsonb_object_keys(coalesce(after, before)) k), '') AS fields
            FROM kernel.audit_log WHERE id > \(id) ORDER BY id
            """
        ).map { row in
            let user = try row.decode("actor_user_id", as: Int?.self).map(String.init) ?? "-"
            return [
                "user " + user, try row.decode("actor", as: String.self), try row.decode("feature", as: String.self),
                try row.decode("entity", as: String.self), try row.decode("action", as: String.self),
                try row.decode("has_request", as: Bool.self) ? "with its request" : "without a request",
                "[" + (try row.decode("fields", as: String.self)) + "]",
            ].joined(separator: " ")
        }
    }

    /// Sends `method path` to the API with `token` and a JSON `body`, as a client of the API does.
    package static func api(
        _ client: some TestClientProtocol,
        _ method: HTTPRequest.Method,
        _ path: String,
        token: String?,
        json body: String? = nil
    ) async throws -> TestResponse {
        var headers: HTTPFields = [.accept: "application/json"]
        if let token { headers[.authorization] = "Bearer \(token)" }
        if body != nil { headers[.contentType] = "application/json" }
        return try await client.execute(uri: path, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
    }

    /// The problem an API refusal answered: its status and the fields it named.
    package static func problemFields(_ response: TestResponse) throws -> (status: HTTPResponse.Status, fields: [String]) {
        let object = try JSONDecoder().decode(JSONValue.self, from: Data(response.body.readableBytesView)).objectValue ?? [:]
        var fields = (object["errors"]?.arrayValue ?? []).compactMap { $0.objectValue?["pointer"]?.stringValue }
        if fields.isEmpty, let pointer = object["pointer"]?.stringValue { fields = [pointer] }
        return (response.status, fields)
    }
}
