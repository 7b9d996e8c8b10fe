import DataAccess
import PluginKit
import PropertyBased
import TestSupport
import Testing

@testable import Supervision

@Suite("Periods under generated input")
struct PeriodPropertyTests {
    @Test("any text is a period of 1, 3 or 12 whole months within 1900–2199, or a refusal naming the parameter")
    func parsing() async {
        await propertyCheck(count: 2000, input: InputSamples.any) { text in
            do throws(FeatureError) {
                let period = try Period(parsing: text)
                #expect(period.label == text)
                #expect([1, 3, 12].contains(period.months))
                #expect(period.first.day == 1 && period.last.adding(days: 1).day == 1)
                #expect(LocalDate.supported.contains(period.first) && LocalDate.supported.contains(period.last))
            } catch {
                #expect(error.code == .invalidInput && error.field == "period")
            }
        }
    }

    @Test("the month of any day holds that day, however far out (0957-09-06 stopped the host)")
    func monthOfAnyDay() async {
        await propertyCheck(count: 1000, input: Gen.int(in: -2_000_000...2_000_000)) { days in
            let day = LocalDate(daysSinceEpoch: days)
            let month = Period.month(of: day)
            #expect(month.first <= day && day <= month.last)
            #expect(month.months == 1 && month.first.day == 1)
        }
        let old = Period.month(of: LocalDate(year: 957, month: 9, day: 6)!)
        #expect(old.label == "0957-09" && old.last == LocalDate(year: 957, month: 9, day: 30))
    }

    @Test("a year outside 1900–2199 is refused with the range in the message", arguments: ["0957", "1899-12", "2200-Q1"])
    func yearsOutOfRange(_ text: String) {
        let error = #expect(throws: FeatureError.self) { try Period(parsing: text) }
        #expect(error?.message.contains("1900–2199") == true)
    }
}
