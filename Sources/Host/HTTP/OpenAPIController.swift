import Foundation
import Hummingbird
import PluginKit

/// `GET /openapi.json`: the OpenAPI 3.1 document of this host, assembled from the kernel's
/// routes and each enabled feature's API document (its components prefixed with the feature's
/// id) or, for a feature not yet written contract-first, its hand-built part; a disabled
/// feature's paths are absent.
struct OpenAPIController {
    let document: Data

    init(features: FeatureSet, documents: [String: APIDocument]) {
        var paths: [String: JSONValue] = Self.kernelPaths
        var components: [String: [String: JSONValue]] = ["schemas": ["Problem": Self.problemSchema]]
        for feature in features.enabled {
            if let document = documents[feature.id] {
                paths.merge(document.prefixedPaths) { first, _ in first }
                for (kind, entries) in document.prefixedComponents { components[kind, default: [:]].merge(entries) { first, _ in first } }
                continue
            }
            let part = feature.plugin.openAPI
            for (path, item) in part.paths { paths["/api/v1/\(feature.id)" + path] = item }
            components["schemas", default: [:]].merge(part.schemas) { first, _ in first }
        }
        components["securitySchemes"] = ["bearer": ["type": "http", "scheme": "bearer"]]
        let document: JSONValue = [
            "openapi": "3.1.0",
            "info": [
                "title": "Kooperator",
                "version": "1",
                "description": """
                The case system for supporting social enterprises. Every /api/v1 route needs `Authorization: Bearer <token>` \
                (issue one with `kooperator tokens issue USER`); errors are RFC 9457 problem bodies.
                """,
            ],
            "paths": .object(paths),
            "components": .object(components.mapValues(JSONValue.object)),
        ]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        self.document = (try? encoder.encode(document)) ?? Data("{}".utf8)
    }

    func register(on router: Router<AppRequestContext>) {
        let document = self.document
        router.get("openapi.json") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(bytes: document))
            )
        }
    }

    static let problemSchema: JSONValue = [
        "type": "object",
        "properties": [
            "type": ["type": "string"], "title": ["type": "string"], "status": ["type": "integer"], "detail": ["type": "string"],
            "instance": ["type": "string"], "requestId": ["type": "string"],
            "pointer": ["type": "string", "description": "The input field concerned"],
        ],
    ]

    static let kernelPaths: [String: JSONValue] = [
        "/health": [
            "get": [
                "summary": "The database's and each feature's health (no token needed)",
                "responses": ["200": ["description": "Up"], "503": ["description": "A part is down"]],
            ]
        ],
        "/api/v1/audit": [
            "get": OpenAPIPart.operation(
                "The audit log, newest first",
                permission: KernelPermissions.auditRead,
                parameters: [
                    OpenAPIPart.queryParameter("entity", "<feature>.<entity>[:<id>] or <entity>"),
                    OpenAPIPart.queryParameter("feature", "Only this feature"),
                    OpenAPIPart.queryParameter("since", "Only on or after this day", schema: ["type": "string", "format": "date"]),
                ] + OpenAPIPart.pageParameters,
                response: ["type": "object", "properties": ["items": ["type": "array"], "nextCursor": ["type": "string"]]]
            )
        ],
    ]
}
