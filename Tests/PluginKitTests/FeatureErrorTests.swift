import PluginKit
import PropertyBased
import TestSupport
import Testing

@Suite("Feature errors")
struct FeatureErrorTests {
    @Test("a refusal quoting input keeps to one printable line: a line break or NUL in it is written as \\u{…}, so it cannot forge a log line")
    func printableRefusals() async {
        await propertyCheck(count: 500, input: InputSamples.noise) { text in
            let error = FeatureError(.invalidInput, "must be a date, not '\(text)\nforged line'", field: "from")
            #expect(!error.message.unicodeScalars.contains { $0.properties.generalCategory == .control })
            #expect(error.message.hasSuffix("\\u{A}forged line'"))
            let problem = FieldProblem(pointer: "/lines/2/name", detail: text)
            #expect(!problem.detail.unicodeScalars.contains { $0.properties.generalCategory == .control })
        }
    }

}
