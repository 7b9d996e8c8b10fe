import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import PluginKit
import Testing

@testable import Host

/// One route of a feature's API in a walk with every role: what a caller needs, what the route
/// touches, and so what each role must get back.
struct WalkedRoute: CustomStringConvertible {
    let method: HTTPRequest.Method
    let path: String
    var body: String? = nil
    /// The body's media type.
    var contentType = "application/json"
    let permission: Permission
    /// Whether the route touches a record outside the supervisor's reach.
    var outsideReach = false
    var success: HTTPResponse.Status = .ok
    /// What a supervisor gets outside its reach: 404 for a record in the path; a record named in
    /// a body may answer 422 as a missing one does, so existence does not leak either way.
    var outside: HTTPResponse.Status = .notFound
    /// The path as the OpenAPI part documents it, when its parameters are not all numeric ids
    /// (`projects/{id}/monthly-reports/{month}/submit`).
    var template: String? = nil
    /// What a write answers when an earlier role in the walk already made it (a case number
    /// taken, a claim already submitted); `nil` when it answers as the first time.
    var again: HTTPResponse.Status? = nil

    var description: String { "\(method) \(path)\(outsideReach ? " (outside reach)" : "")" }

    /// 401 without a token, 403 without the permission, `outside` for a scoped role outside its
    /// reach, else `success`.
    func expected(for role: Role?, repeated: Bool = false) -> HTTPResponse.Status {
        guard let role else { return .unauthorized }
        if !permission.roles.contains(role) { return .forbidden }
        if repeated, let again { return again }
        return role.isScoped && outsideReach ? outside : success
    }

    /// Sends the route under `prefix` (e.g. `/api/v1/registry/`) with the token, if any.
    func send(_ client: some TestClientProtocol, prefix: String, token: String?) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let token { headers[.authorization] = "Bearer \(token)" }
        if body != nil { headers[.contentType] = contentType }
        return try await client.execute(uri: prefix + path, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
    }

    /// `method /path/{id}` as the OpenAPI part documents it: numbers in the path are ids.
    var documentedPath: String {
        if let template { return "\(method.rawValue.lowercased()) /\(template)" }
        let template = path.split(separator: "?")[0].split(separator: "/").map { Int($0) == nil ? String($0) : "{id}" }.joined(separator: "/")
        return "\(method.rawValue.lowercased()) /\(template)"
    }
}

extension WalkedRoute {
    /// Sends each route as `role` and expects its status (a write an earlier role in the walk
    /// already made — recorded in `done` — answers `again`); the registry's routes also check
    /// the `WWW-Authenticate` challenge of a 401.
    ///
    /// - Returns: How many routes were checked.
    static func check(
        _ routes: [WalkedRoute],
        as role: Role?,
        client: some TestClientProtocol,
        prefix: String,
        tokens: [Role: String],
        done: inout Set<String>
    ) async throws -> Int {
        for route in routes {
            let response = try await route.send(client, prefix: prefix, token: role.flatMap { tokens[$0] })
            let expected = route.expected(for: role, repeated: done.contains(route.description))
            #expect(response.status == expected, "\(role.map(\.rawValue) ?? "no token"): \(route) → \(String(buffer: response.body))")
            if expected == .unauthorized { #expect(response.headers[.wwwAuthenticate] == "Bearer") }
            if response.status.code < 300 { done.insert(route.description) }
        }
        return routes.count
    }

    /// Expects `routes` to walk every operation of a feature's API document and nothing else, each
    /// with the permission the document names for it.
    static func expectCovers(_ document: APIDocument, _ routes: [WalkedRoute], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let documented = Dictionary(
            uniqueKeysWithValues: document.operations.map { ("\($0.method.rawValue.lowercased()) \($0.path)", $0.permission) }
        )
        #expect(Set(routes.map(\.documentedPath)) == Set(documented.keys), sourceLocation: sourceLocation)
        for route in routes {
            #expect(documented[route.documentedPath] == route.permission, "\(route.documentedPath)", sourceLocation: sourceLocation)
        }
    }
}
