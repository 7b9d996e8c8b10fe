import DataAccess
import Hummingbird
import PluginKit
import Testing

@testable import Host

/// A parameter's schema is read once, when its document loads; a value is then held to what was
/// read, with the refusal a client of the API has always had.
@Suite("A parameter's schema, read once, refuses what it always refused")
struct ParameterRuleTests {
    /// A query parameter named `field` with `schema`.
    private func query(_ schema: JSONValue, field: String = "limit") -> APIDocument.Parameter {
        APIDocument.Parameter(name: field, location: "query", schema: schema)
    }

    /// The refusal's message, or `nil` when `value` is accepted.
    private func refusal(of value: String, by parameter: APIDocument.Parameter) -> String? {
        do {
            try parameter.check(value)
            return nil
        } catch let error as FeatureError {
            #expect(error.code == .invalidInput)
            #expect(error.field == parameter.name, "the refusal names the parameter")
            return error.message
        } catch let error as HTTPError {
            #expect(error.status == .badRequest)
            return error.body
        } catch {
            Issue.record("unexpected \(error)")
            return "\(error)"
        }
    }

    @Test("an enumeration takes its cases only; a whole number its bounds; a number only a finite one")
    func enumerationsAndNumbers() {
        let kind = query(["type": "string", "enum": ["cooperative", "association"]], field: "kind")
        #expect(refusal(of: "cooperative", by: kind) == nil)
        #expect(refusal(of: "Cooperative", by: kind) == "must be one of cooperative, association, not 'Cooperative'")

        let limit = query(["type": "integer", "minimum": 1, "maximum": 500])
        #expect(refusal(of: "1", by: limit) == nil)
        #expect(refusal(of: "500", by: limit) == nil)
        #expect(refusal(of: "0", by: limit)?.contains("between 1 and 500") == true)
        #expect(refusal(of: "501", by: limit)?.contains("between 1 and 500") == true)
        #expect(refusal(of: "ten", by: limit) == "must be a whole number, not 'ten'")
        // Without bounds, any whole number the platform holds.
        #expect(refusal(of: "-9000000000", by: query(["type": "integer"])) == nil)

        let amount = query(["type": "number"], field: "amount")
        #expect(refusal(of: "12.50", by: amount) == nil)
        #expect(refusal(of: "1e400", by: amount) == "must be a number, not '1e400'")
        #expect(refusal(of: "twelve", by: amount) == "must be a number, not 'twelve'")
    }

    @Test("a date must be a real day; a text counts characters, not bytes, against maxLength")
    func datesAndTexts() {
        let from = query(["type": "string", "format": "date"], field: "from")
        #expect(refusal(of: "2024-02-29", by: from) == nil)
        #expect(refusal(of: "2023-02-29", by: from) != nil)
        #expect(refusal(of: "yesterday", by: from) != nil)

        let name = query(["type": "string", "maxLength": 3], field: "q")
        #expect(refusal(of: "åäö", by: name) == nil)
        #expect(refusal(of: "åäöx", by: name) == "is 4 characters long; at most 3 are allowed")
        // No rule at all: anything goes.
        #expect(refusal(of: String(repeating: "x", count: 10_000), by: query([:], field: "any")) == nil)
    }

    @Test("a path parameter is refused with 400 naming it, as a path that does not parse always was")
    func pathParameters() {
        let id = APIDocument.Parameter(name: "id", location: "path", schema: ["type": "integer", "minimum": 1])
        #expect(id.isInPath)
        #expect(refusal(of: "7", by: id) == nil)
        #expect(refusal(of: "x", by: id) == "the path parameter 'id' must be a whole number, not 'x'")
        #expect(!query(["type": "integer"]).isInPath)
    }
}
