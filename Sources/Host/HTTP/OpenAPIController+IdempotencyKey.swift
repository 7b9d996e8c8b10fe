import DataAccess

extension OpenAPIController {
    /// The `Idempotency-Key` header as the served document names it on every write that takes it.
    static let idempotencyKeyParameter: JSONValue = [
        "name": "Idempotency-Key",
        "in": "header",
        "required": false,
        "description": """
        Makes a retry safe: a repeat with the same key, method, path and body within 24 hours gets \
        the first answer (marked `Idempotent-Replayed: true`) without writing again; with another \
        request, 422. Keys are the caller's own.
        """,
        "schema": ["type": "string", "minLength": 1, "maxLength": .int(IdempotentWrites.maxKeyLength), "pattern": "^[!-~]+$"],
    ]

    /// `paths` with the host's `Idempotency-Key` on every `POST`, `PUT` and `PATCH` whose body the
    /// host reads (``APIOperationMiddleware/takesIdempotencyKey(_:)``), and its 422 for a key
    /// reused with another request: written once here rather than in each feature's document.
    static func withIdempotencyKeys(_ paths: [String: JSONValue]) -> [String: JSONValue] {
        paths.mapValues { item in
            guard case .object(var operations) = item else { return item }
            for method in ["post", "put", "patch"] {
                guard case .object(var operation)? = operations[method], operation[APIDocument.bodyLimitKey] == nil else { continue }
                let parameters: [JSONValue] = if case .array(let items)? = operation["parameters"] { items } else { [] }
                operation["parameters"] = .array(parameters + [idempotencyKeyParameter])
                var responses = operation["responses"]?.objectValue ?? [:]
                if responses["422"] == nil {
                    responses["422"] = [
                        "description": "A value breaks a rule (`pointer` names it), or the Idempotency-Key was used for another request.",
                        "content": ["application/problem+json": ["schema": ["$ref": "#/components/schemas/Problem"]]],
                    ]
                }
                operation["responses"] = .object(responses)
                operations[method] = .object(operation)
            }
            return .object(operations)
        }
    }
}
