import DataAccess
import Foundation
import PropertyBased
import TestSupport
import Testing

@Suite("LocalDate: the days a person may give, and arithmetic that never traps")
struct LocalDateInputTests {
    static let supported = LocalDate.supported

    @Test("a day is accepted exactly when it is a real YYYY-MM-DD from 1900-01-01 to 2199-12-31; anything else says why")
    func inputProperty() async {
        await propertyCheck(count: 2000, input: InputSamples.any) { text in
            do throws(LocalDate.InputError) {
                let day = try LocalDate(input: text)
                #expect(day.description == text)
                #expect(Self.supported.contains(day))
            } catch {
                if let day = LocalDate(text) {
                    #expect(!Self.supported.contains(day), "\(text) is in range but was refused")
                    #expect(error.code == .outOfRange)
                    #expect(error.message.contains("from 1900-01-01 to 2199-12-31"))
                } else {
                    #expect(error.code == .malformed)
                }
            }
        }
    }

    @Test(
        "the bounds and the fuzzer's find",
        arguments: [
            ("1900-01-01", nil), ("2199-12-31", nil), ("1899-12-31", LocalDate.InputError.Code.outOfRange), ("2200-01-01", .outOfRange),
            ("0957-09-06", .outOfRange), ("2016-02-30", .malformed), ("+016-02-01", .malformed), ("2016-2-1", .malformed),
        ]
    )
    func bounds(text: String, refusal: LocalDate.InputError.Code?) {
        do {
            _ = try LocalDate(input: text)
            #expect(refusal == nil, "\(text) was accepted")
        } catch {
            #expect(error.code == refusal)
        }
    }

    @Test("a JSON date outside the supported days fails decoding with the reason underneath, at its field")
    func decoding() throws {
        struct Body: Decodable { var from: LocalDate }
        #expect(try JSONDecoder().decode(Body.self, from: Data(#"{"from": "2016-03-31"}"#.utf8)).from == LocalDate(year: 2016, month: 3, day: 31))
        do {
            _ = try JSONDecoder().decode(Body.self, from: Data(#"{"from": "0957-09-06"}"#.utf8))
            Issue.record("an out-of-range date decoded")
        } catch DecodingError.dataCorrupted(let context) {
            #expect((context.underlyingError as? LocalDate.InputError)?.code == .outOfRange)
            #expect(context.codingPath.map(\.stringValue) == ["from"])
        }
    }

    @Test("month and day arithmetic is total: any whole number gives a real day, never a trap")
    func arithmeticIsTotal() async {
        await propertyCheck(count: 1000, input: Gen.int(), Gen.int()) { a, b in
            let first = LocalDate.firstDay(ofMonth: a, in: b)
            let last = LocalDate.lastDay(ofMonth: a, in: b)
            #expect(first.day == 1 && (28...31).contains(last.day) && first.month == last.month)
            let day = LocalDate(daysSinceEpoch: a)
            #expect(LocalDate(year: day.year, month: day.month, day: day.day) == day)
            #expect(LocalDate(year: day.year, month: day.month, day: day.day).map { $0.adding(days: b).day >= 1 } == true)
            #expect((1...31).contains(day.adding(months: b).day))
        }
    }

    @Test("months count on across years; a shorter month keeps its last day")
    func monthArithmetic() {
        #expect(LocalDate.firstDay(ofMonth: 13, in: 2016) == LocalDate(year: 2017, month: 1, day: 1))
        #expect(LocalDate.firstDay(ofMonth: 0, in: 2016) == LocalDate(year: 2015, month: 12, day: 1))
        #expect(LocalDate.lastDay(ofMonth: 2, in: 2016) == LocalDate(year: 2016, month: 2, day: 29))
        #expect(LocalDate(year: 2016, month: 8, day: 31)?.adding(months: 6) == LocalDate(year: 2017, month: 2, day: 28))
        #expect(LocalDate(year: 2016, month: 3, day: 31)?.adding(months: -1) == LocalDate(year: 2016, month: 2, day: 29))
        #expect(LocalDate(year: 2016, month: 1, day: 1)?.adding(days: .max).year ?? 0 > 100_000)
    }
}
