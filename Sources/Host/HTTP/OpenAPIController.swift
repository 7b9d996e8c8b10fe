import DataAccess
import Foundation
import Hummingbird
import PluginKit

/// `GET /openapi.json`: the OpenAPI 3.1 document of this host: its own (health, audit log), and
/// each enabled feature's API document with its paths under `/api/v1/<id>` and its components
/// prefixed with the feature's id; a disabled feature's paths are absent. Every write that takes
/// one names the host's `Idempotency-Key` header (``withIdempotencyKeys(_:)``).
struct OpenAPIController {
    let document: Data

    init(host: APIDocument, features: FeatureSet, documents: [String: APIDocument]) {
        var root = host.root
        var paths = host.servedPaths
        var components = host.servedComponents
        for feature in features.enabled {
            guard let document = documents[feature.id] else { continue }
            paths.merge(document.servedPaths) { first, _ in first }
            for (kind, entries) in document.servedComponents { components[kind, default: [:]].merge(entries) { first, _ in first } }
        }
        root["paths"] = .object(Self.withIdempotencyKeys(paths))
        root["components"] = .object(components.mapValues(JSONValue.object))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        self.document = (try? encoder.encode(JSONValue.object(root))) ?? Data("{}".utf8)
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
}
