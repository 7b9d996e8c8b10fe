extension OpenAPIPart {
    /// A reference to a schema: `{"$ref": "#/components/schemas/<name>"}`.
    public static func ref(_ schema: String) -> JSONValue { ["$ref": .string("#/components/schemas/\(schema)")] }

    /// A path parameter `{name}` holding an integer id.
    public static func idParameter(_ name: String = "id") -> JSONValue {
        ["name": .string(name), "in": "path", "required": true, "schema": ["type": "integer", "format": "int64"]]
    }

    /// A query parameter.
    public static func queryParameter(_ name: String, _ description: String, schema: JSONValue = ["type": "string"]) -> JSONValue {
        ["name": .string(name), "in": "query", "required": false, "description": .string(description), "schema": schema]
    }

    /// The `limit` and `cursor` query parameters of a paged list.
    public static var pageParameters: [JSONValue] {
        [
            queryParameter("limit", "Items per page (1–500, default 50)", schema: ["type": "integer", "minimum": 1, "maximum": 500]),
            queryParameter("cursor", "The nextCursor of the previous page"),
        ]
    }

    /// A page of a paged list: `{"items": [schema], "nextCursor": string or null}`.
    public static func page(of schema: String) -> JSONValue {
        ["type": "object", "properties": ["items": ["type": "array", "items": ref(schema)], "nextCursor": ["type": ["string", "null"]]]]
    }
    /// A whole list: `{"items": [schema]}`.
    public static func list(of schema: String) -> JSONValue {
        ["type": "object", "properties": ["items": ["type": "array", "items": ref(schema)]]]
    }
    /// An object schema with these properties, the `required` ones listed.
    public static func object(_ properties: [String: JSONValue], required: [String] = []) -> JSONValue {
        ["type": "object", "required": .array(required.map(JSONValue.string)), "properties": .object(properties)]
    }
    /// A date `YYYY-MM-DD`.
    public static let date: JSONValue = ["type": "string", "format": "date"]
    /// An enumeration schema of string values.
    public static func enumeration(_ values: [String]) -> JSONValue { ["type": "string", "enum": .array(values.map(JSONValue.string))] }

    /// An operation: what it does, the permission it checks, its parameters, its JSON body and
    /// its success response, plus the problem responses every route can give.
    ///
    /// - Parameters:
    ///   - summary: One line.
    ///   - permission: The permission the route checks.
    ///   - parameters: Path and query parameters.
    ///   - body: The request body's schema, if any.
    ///   - status: The success status.
    ///   - response: The success body's schema.
    public static func operation(
        _ summary: String,
        permission: Permission,
        parameters: [JSONValue] = [],
        body: JSONValue? = nil,
        status: Int = 200,
        response: JSONValue
    ) -> JSONValue {
        var operation: [String: JSONValue] = [
            "summary": .string(summary),
            "description": .string(
                "Requires the permission `\(permission.id)` (roles: \(permission.roles.map(\.rawValue).sorted().joined(separator: ", ")))."
            ),
            "security": [["bearer": []]],
            "responses": [
                String(status): ["description": "Success", "content": ["application/json": ["schema": response]]],
                "401": problemResponse("No valid bearer token"),
                "403": problemResponse("The role lacks the permission"),
                "404": problemResponse("No such record, or outside the caller's reach"),
                "422": problemResponse("A value breaks a rule; `pointer` names the field"),
            ],
        ]
        if !parameters.isEmpty { operation["parameters"] = .array(parameters) }
        if let body {
            operation["requestBody"] = ["required": true, "content": ["application/json": ["schema": body]]]
        }
        return .object(operation)
    }

    static func problemResponse(_ description: String) -> JSONValue {
        ["description": .string(description), "content": ["application/problem+json": ["schema": ref("Problem")]]]
    }
}
