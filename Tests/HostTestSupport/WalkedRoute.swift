package import Foundation
package import HTTPTypes
package import Hummingbird
package import HummingbirdTesting
package import NIOCore
package import PluginKit
package import Testing

@testable package import Host

/// One route of a feature's API in a walk with every role: what a caller needs, what the route
/// touches, and so what each role must get back.
package struct WalkedRoute: CustomStringConvertible {
    package let method: HTTPRequest.Method
    package let path: String
    package var body: String? = nil
    /// The body's media type.
    package var contentType = "application/json"
    package let permission: Permission
    /// Whether the route touches a record outside the supervisor's reach.
    package var outsideReach = false
    package var success: HTTPResponse.Status = .ok
    /// What a supervisor gets outside its reach: 404 for a record in the path; a record named in
    /// a body may answer 422 as a missing one does, so existence does not leak either way.
    package var outside: HTTPResponse.Status = .notFound
    /// The path as the OpenAPI part documents it, when its parameters are not all numeric ids
    /// (`projects/{id}/monthly-reports/{month}/submit`).
    package var template: String? = nil
    /// What a write answers when an earlier role in the walk already made it (a case number
    /// taken, a claim already submitted); `nil` when it answers as the first time.
    package var again: HTTPResponse.Status? = nil

    /// A route in a walk; the defaults are a read of a record within reach.
    package init(
        method: HTTPRequest.Method,
        path: String,
        body: String? = nil,
        contentType: String = "application/json",
        permission: Permission,
        outsideReach: Bool = false,
        success: HTTPResponse.Status = .ok,
        outside: HTTPResponse.Status = .notFound,
        template: String? = nil,
        again: HTTPResponse.Status? = nil
    ) {
        self.method = method
        self.path = path
        self.body = body
        self.contentType = contentType
        self.permission = permission
        self.outsideReach = outsideReach
        self.success = success
        self.outside = outside
        self.template = template
        self.again = again
    }

    package var description: String { "\(method) \(path)\(outsideReach ? " (outside reach)" : "")" }

    /// 401 without a token, 403 without the permission, `outside` for a scoped role outside its
    /// reach, else `success`.
    package func expected(for role: Role?, roles: RoleCatalogue, repeated: Bool = false) -> HTTPResponse.Status {
        guard let role else { return .unauthorized }
        if !roles.permits(role, permission) { return .forbidden }
        if repeated, let again { return again }
        return roles.definition(of: role)?.isScoped != false && outsideReach ? outside : success
    }

    /// Sends the route under `prefix` (e.g. `/api/v1/registry/`) with the token, if any.
    package func send(_ client: some TestClientProtocol, prefix: String, token: String?) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let token { headers[.authorization] = "Bearer \(token)" }
        if body != nil { headers[.contentType] = contentType }
        return try await client.execute(uri: prefix + path, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
    }

    /// `method /path/{id}` as the OpenAPI part documents it: numbers in the path are ids.
    package var documentedPath: String {
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
    package static func check(
        _ routes: [WalkedRoute],
        as role: Role?,
        client: some TestClientProtocol,
        prefix: String,
        tokens: [Role: String],
        roles: RoleCatalogue,
        done: inout Set<String>
    ) async throws -> Int {
        for route in routes {
            let response = try await route.send(client, prefix: prefix, token: role.flatMap { tokens[$0] })
            let expected = route.expected(for: role, roles: roles, repeated: done.contains(route.description))
            #expect(response.status == expected, "\(role.map(\.rawValue) ?? "no token"): \(route) → \(String(buffer: response.body))")
            if expected == .unauthorized { #expect(response.headers[.wwwAuthenticate] == "Bearer") }
            if let role, roles.definition(of: role)?.isScoped == true, route.outsideReach, expected == route.outside, response.status == expected {
                try await route.expectAnswersAsMissing(response, client: client, prefix: prefix, token: tokens[role])
            }
            if response.status.code < 300 { done.insert(route.description) }
        }
        return routes.count
    }

    /// Expects `routes` to walk every operation of a feature's API document and nothing else, each
    /// with the permission the document names for it.
    package static func expectCovers(_ document: APIDocument, _ routes: [WalkedRoute], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let documented = Dictionary(
            uniqueKeysWithValues: document.operations.map { ("\($0.method.rawValue.lowercased()) \($0.path)", $0.permission) }
        )
        #expect(Set(routes.map(\.documentedPath)) == Set(documented.keys), sourceLocation: sourceLocation)
        for route in routes {
            #expect(documented[route.documentedPath] == route.permission, "\(route.documentedPath)", sourceLocation: sourceLocation)
        }
    }
}

extension WalkedRoute {
    /// An id no fixture reaches.
    package static let missingID = "987654321"

    /// Expects the answer about a record outside reach to be the answer about a missing one, byte
    /// for byte (with the id put back, but for the request id): the same route with one of the ids
    /// in its path or body replaced by an id that does not exist must answer exactly `response`,
    /// so the two cannot be told apart.
    package func expectAnswersAsMissing(
        _ response: TestResponse,
        client: some TestClientProtocol,
        prefix: String,
        token: String?,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        // Each answer carries its own request id; everything else must be the same.
        func comparable(_ body: ByteBuffer) -> String {
            String(buffer: body).replacingOccurrences(of: #""requestId":"[0-9a-f]*","#, with: "", options: .regularExpression)
        }
        let outside = comparable(response.body)
        var answers: [String] = []
        for (variant, id) in variantsWithMissingIDs() {
            let missing = try await variant.send(client, prefix: prefix, token: token)
            guard missing.status == response.status else { continue }
            let answer = comparable(missing.body).replacingOccurrences(of: Self.missingID, with: id)
            if answer == outside { return }
            answers.append(answer)
        }
        Issue.record("\(self): outside reach answers \(outside), a missing record \(answers)", sourceLocation: sourceLocation)
    }

    /// This route once for each id in its path or its JSON body, with that id replaced by
    /// ``missingID``, and the id it replaced.
    package func variantsWithMissingIDs() -> [(WalkedRoute, String)] {
        var variants: [(WalkedRoute, String)] = []
        let parts = path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let segments = parts[0].split(separator: "/", omittingEmptySubsequences: false)
        let query = parts.count > 1 ? "?" + parts[1] : ""
        for (index, segment) in segments.enumerated() where !segment.isEmpty && segment.allSatisfy(\.isNumber) {
            var replaced = segments
            replaced[index] = Substring(Self.missingID)
            let variant = WalkedRoute(
                method: method,
                path: replaced.joined(separator: "/") + query,
                body: body,
                contentType: contentType,
                permission: permission
            )
            variants.append((variant, String(segment)))
        }
        guard let body else { return variants }
        // The numbers a JSON body gives as values (`"cooperativeId": 3`) are the ids it refers to.
        for match in body.matches(of: /:\s*(\d+)/) {
            var replaced = body
            replaced.replaceSubrange(match.output.1.startIndex..<match.output.1.endIndex, with: Self.missingID)
            let variant = WalkedRoute(method: method, path: path, body: replaced, contentType: contentType, permission: permission)
            variants.append((variant, String(match.output.1)))
        }
        return variants
    }
}
