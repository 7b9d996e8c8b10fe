import DataAccess
import FeatureSupport
import PluginKit
import PropertyBased
import TestSupport
import Testing

@Suite("Input checks under generated input")
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
}
