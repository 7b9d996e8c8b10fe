import DataAccess
import ESFProject
import Foundation
import HTTPTypes
import HostTestSupport
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import PluginKit
import PropertyBased
import Registry
import TestSupport
import Testing

@testable import Host

/// Throws generated dates, periods and numbers at every parameter and body field that
/// `/openapi.json` documents, with every feature on and the demo story loaded: no answer may be a
/// server error, and the host must still answer afterwards (a trap would stop the test run).
@Suite("Generated input at every documented parameter and body field")
struct InputFuzzTests {
    /// Every feature of the product, switched on.
    static let features = HostFixture.everyFeature

    /// One documented operation: its method, path template, parameters and body fields, each
    /// with its schema.
    struct Operation: CustomStringConvertible {
        var method: HTTPRequest.Method
        var path: String
        var parameters: [(name: String, location: String, schema: JSONValue)]
        var body: [(name: String, schema: JSONValue)]?
        var description: String { "\(method) \(path)" }
    }

    /// Every operation of the document, with `$ref` body schemas resolved to their properties.
    static func operations(_ document: JSONValue) -> [Operation] {
        let schemas = document.objectValue?["components"]?.objectValue?["schemas"]?.objectValue ?? [:]
        func resolved(_ schema: JSONValue) -> JSONValue {
            guard case .string(let ref)? = schema.objectValue?["$ref"] else { return schema }
            return schemas[String(ref.split(separator: "/").last ?? "")] ?? schema
        }
        var operations: [Operation] = []
        for (path, item) in document.objectValue?["paths"]?.objectValue ?? [:] {
            for (method, operation) in item.objectValue ?? [:] {
                guard let method = HTTPRequest.Method(method.uppercased()), let operation = operation.objectValue else { continue }
                var parameters: [(name: String, location: String, schema: JSONValue)] = []
                if case .array(let list)? = operation["parameters"] {
                    for parameter in list {
                        guard let fields = parameter.objectValue, case .string(let name)? = fields["name"], case .string(let location)? = fields["in"]
                        else { continue }
                        parameters.append((name, location, resolved(fields["schema"] ?? [:])))
                    }
                }
                let content = operation["requestBody"]?.objectValue?["content"]?.objectValue
                let body = content?["application/json"]?.objectValue?["schema"].map { schema -> [(name: String, schema: JSONValue)] in
                    let properties = resolved(schema).objectValue?["properties"]?.objectValue ?? [:]
                    return properties.keys.sorted().map { ($0, resolved(properties[$0] ?? [:])) }
                }
                operations.append(Operation(method: method, path: path, parameters: parameters, body: body))
            }
        }
        return operations.sorted { $0.description < $1.description }
    }

    /// A value for a field of `schema`: the hostile `sample`, or when `plausible`, one the
    /// operation would take (a small id, a day of the story, the first case of an enumeration),
    /// so that the hostile values reach the checks behind the decoding.
    static func value(for schema: JSONValue, from sample: String, plausible: Bool, id: Int) -> JSONValue {
        let fields = schema.objectValue ?? [:]
        switch fields["type"] {
        case .string("integer")?, .string("number")?:
            guard !plausible else { return .int(id) }
            // A number JSON can carry goes as a number; past Int64 it is still a valid JSON number.
            return Int(sample).map(JSONValue.int) ?? .string(sample)
        case .string("boolean")?:
            return plausible ? false : .string(sample)
        case .string("array")?:
            return plausible ? [] : [.string(sample)]
        default:
            guard plausible else { return .string(sample) }
            if case .array(let cases)? = fields["enum"], let first = cases.first { return first }
            return fields["format"] == .string("date") ? "2016-03-01" : "Fuzz"
        }
    }

    /// The text of ``value(for:from:plausible:id:)`` for a path or query parameter.
    static func parameter(_ schema: JSONValue, from sample: String, plausible: Bool, id: Int) -> String {
        switch value(for: schema, from: sample, plausible: plausible, id: id) {
        case .string(let text): text
        case .int(let number): String(number)
        case .bool(let flag): String(flag)
        default: sample
        }
    }

    static func percentEncoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }

    @Test("no generated date, period or number in any parameter or body field of any operation answers a server error; refusals are problem bodies")
    func everyOperation() async throws {
        // Refusals are logged at debug level, and long generated digit strings look like identity
        // numbers to `make check-logs`; this host logs from info up (a server error among them).
        var logger = TestPostgres.logger
        logger.logLevel = max(logger.logLevel, .info)
        let runtime = try await HostFixture.accessRuntime(features: Self.features, plugins: AvailablePlugins.all, logger: logger)
        try await runtime.loadDemo()
        let umbrella: Int = try await runtime.database.query(
            "SELECT id FROM registry.organisations WHERE kind = 'socialEconomyOrganisation' ORDER BY id LIMIT 1"
        ).single().decode("id")
        let tokens = try await HostFixture.tokensPerRole(runtime, provider: umbrella)
        try await buildApplication(runtime: runtime).test(.router) { client in
            // The fuzzer's first find: a year before 1000 stopped the host.
            let crash = try await client.execute(
                uri: "/api/v1/supervision/report?asOf=0957-09-06",
                method: .get,
                headers: [.authorization: "Bearer \(tokens[.officer] ?? "")"]
            )
            #expect(crash.status == .unprocessableContent)
            #expect(String(buffer: crash.body).contains(#""pointer":"asOf""#))

            let response = try await client.execute(uri: "/openapi.json", method: .get)
            let document = try JSONDecoder().decode(JSONValue.self, from: Data(String(buffer: response.body).utf8))
            let operations = Self.operations(document)
            #expect(operations.count > 60, "the document lists \(operations.count) operations")
            let roles: [Role] = [.admin, .officer, .coordinator, .supervisor]
            // Per field: a hostile sample, whether to send a plausible value instead, and a small id.
            let fields = zip(InputSamples.any, Gen.bool(0.6), Gen.int(in: 1...40)).array(of: 12)
            for operation in operations where operation.path.hasPrefix("/api/v1/") {
                await propertyCheck(count: 16, input: fields, Gen.element(of: roles)) { fields, drawn in
                    let role = drawn ?? .admin
                    var values = fields.makeIterator()
                    func next(_ schema: JSONValue) -> String {
                        let (sample, plausible, id) = values.next() ?? ("", true, 1)
                        return Self.parameter(schema, from: sample, plausible: plausible, id: id)
                    }
                    var path = operation.path
                    var query: [String] = []
                    for parameter in operation.parameters {
                        switch parameter.location {
                        case "path": path = path.replacingOccurrences(of: "{\(parameter.name)}", with: Self.percentEncoded(next(parameter.schema)))
                        case "query": query.append("\(parameter.name)=\(Self.percentEncoded(next(parameter.schema)))")
                        default: break
                        }
                    }
                    var headers: HTTPFields = [.authorization: "Bearer \(tokens[role] ?? "")"]
                    var body: ByteBuffer?
                    if let properties = operation.body {
                        var object: [String: JSONValue] = [:]
                        for property in properties {
                            let (sample, plausible, id) = values.next() ?? ("", true, 1)
                            object[property.name] = Self.value(for: property.schema, from: sample, plausible: plausible, id: id)
                        }
                        body = ByteBuffer(bytes: try JSONEncoder().encode(JSONValue.object(object)))
                        headers[.contentType] = "application/json"
                    }
                    let uri = path + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
                    let answer = try await client.execute(uri: uri, method: operation.method, headers: headers, body: body)
                    #expect(
                        answer.status.code < 500,
                        "\(role) \(operation.method) \(uri) → \(answer.status.code) \(String(buffer: answer.body).prefix(300))"
                    )
                    if answer.status.code >= 400 {
                        #expect(answer.headers[.contentType] == "application/problem+json", "\(operation.method) \(uri)")
                    }
                }
            }
            #expect(try await client.execute(uri: "/health", method: .get).status == .ok)
        }
    }
}
