import HTTPTypes
import Hummingbird

/// Turns the router's 404 for a documented path asked with a method it does not have (`TRACE
/// /api/v1/audit`) into 405 Method Not Allowed with `Allow` listing the methods it has, as HTTP
/// says; a path no document knows stays 404.
struct MethodNotAllowedMiddleware<Context: RequestContext>: RouterMiddleware {
    /// One documented path: its segments (`{…}` matches any one) and its methods.
    struct Template: Sendable {
        var segments: [Substring]
        var methods: [HTTPRequest.Method]
    }

    let templates: [Template]

    /// The paths and methods of every document mounted, e.g. `/api/v1/supervision/goals/{id}`.
    init(documents: [APIDocument]) {
        var byPath: [String: [HTTPRequest.Method]] = [:]
        for document in documents {
            for operation in document.operations { byPath[document.pathPrefix + operation.path, default: []].append(operation.method) }
        }
        templates = byPath.map { Template(segments: $0.key.split(separator: "/"), methods: $0.value.sorted { $0.rawValue < $1.rawValue }) }
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            let segments = request.uri.path.split(separator: "/")
            let matching = templates.filter { template in
                template.segments.count == segments.count
                    && zip(template.segments, segments).allSatisfy { pattern, segment in pattern.first == "{" || pattern == segment }
            }
            // The most specific path only, as the router chooses: `/people/lookup` is not `/people/{id}`.
            func literals(_ template: Template) -> Int { template.segments.count { $0.first != "{" } }
            let most = matching.map(literals).max()
            let allowed = matching.filter { literals($0) == most }.flatMap(\.methods)
            guard !allowed.isEmpty, !allowed.contains(request.method) else { throw error }
            let list = allowed.map(\.rawValue).joined(separator: ", ")
            throw HTTPError(
                .methodNotAllowed,
                headers: [.allow: list],
                message: "\(request.method) is not allowed on \(request.uri.path); it takes \(list)"
            )
        }
    }
}
