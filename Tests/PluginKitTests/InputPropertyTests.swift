import DataAccess
import PluginKit
import PropertyBased
import TestSupport
import Testing

@Suite("Input checks and the CSV reader under generated input")
struct InputPropertyTests {
    @Test("a date parameter is a day from 1900-01-01 to 2199-12-31 or a 422 refusal naming the field, for any text")
    func dates() async {
        await propertyCheck(count: 1000, input: InputSamples.any) { text in
            do throws(FeatureError) {
                let day = try Input.date(text, field: "asOf")
                #expect(LocalDate.supported.contains(day))
            } catch {
                #expect(error.code == .invalidInput)
                #expect(error.field == "asOf")
                #expect(["dateMalformed", "dateOutOfRange"].contains(error.wording?.key))
            }
        }
    }

    @Test("a year and a bounded number are within their range or refused, for any whole number")
    func numbers() async {
        await propertyCheck(count: 1000, input: Gen.int()) { value in
            let year = try? Input.year(value, field: "year")
            #expect(year == ((1900...2199).contains(value) ? value : nil))
            let minutes = try? Input.number(value, field: "/minutes", in: 1...720)
            #expect(minutes == ((1...720).contains(value) ? value : nil))
        }
    }

    @Test("any bytes read as CSV give records or a problem with its line and field, never replacement characters")
    func csvBytes() async {
        let bytes = Gen<UInt8>.value(in: 0...255).array(of: 0...60)
        await propertyCheck(count: 1000, input: bytes) { bytes in
            do throws(CSVReader.Problem) {
                for record in try CSVReader.records(in: bytes) {
                    #expect(record.fields.allSatisfy { !$0.contains("\u{FFFD}") })
                }
            } catch {
                #expect(error.line >= 1 && error.field >= 1)
            }
        }
    }

    @Test("a file saved as Latin-1 is refused at the line and field of the first byte that is not UTF-8")
    func latin1() {
        // "Åsa" in Latin-1 on the third line, second field.
        let file = Array("name,city\nBo,Malmö\nx,".utf8) + [0xC5, 0x73, 0x61] + Array("\n".utf8)
        let error = #expect(throws: CSVReader.Problem.self) { try CSVReader.records(in: file) }
        #expect(error?.code == .invalidUTF8)
        #expect(error?.line == 3)
        #expect(error?.field == 2)
        #expect(error?.message.contains("UTF-8") == true)
        let open = #expect(throws: CSVReader.Problem.self) { try CSVReader.records(in: Array("a,b\n\"open,b\n".utf8)) }
        #expect(open?.code == .unterminatedQuote)
        #expect(open?.line == 2)
    }

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
