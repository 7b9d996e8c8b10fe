import FeatureSupport
import Foundation
import PropertyBased
import Testing

@Suite("Dates in the API's answers")
struct DateTranscoderTests {
    let transcoder = KooperatorDateTranscoder()

    @Test("a date is written as Foundation's ISO 8601 style writes it, to the second, for any moment of the years 1 to 9999")
    func sameAsFoundation() async throws {
        // Whole and fractional seconds, before and after 1970, leap days and year ends, and the
        // Julian calendar's days before 1582-10-15, which go through Foundation's style.
        await propertyCheck(count: 3000, input: Gen.double(in: -62_135_596_800.0...253_402_300_799.999)) { seconds in
            let date = Date(timeIntervalSince1970: seconds)
            #expect((try? transcoder.encode(date)) == date.formatted(.iso8601), "\(seconds)")
        }
        let known: [(TimeInterval, String)] = [
            (0, "1970-01-01T00:00:00Z"),
            (-0.5, "1969-12-31T23:59:59Z"),
            (951_782_400, "2000-02-29T00:00:00Z"),
            (1_459_425_600.999, "2016-03-31T12:00:00Z"),
            (-12_219_292_800, "1582-10-15T00:00:00Z"),
            (-12_219_292_800.5, "1582-10-04T23:59:59Z"),
            (253_402_300_799, "9999-12-31T23:59:59Z"),
        ]
        for (seconds, text) in known {
            let date = Date(timeIntervalSince1970: seconds)
            #expect(try transcoder.encode(date) == text)
            #expect(text == date.formatted(.iso8601))
        }
    }

    @Test("what it writes it reads back, to the second")
    func roundTrip() async throws {
        await propertyCheck(count: 500, input: Gen.int(in: -2_208_988_800...7_258_118_399)) { seconds in
            let date = Date(timeIntervalSince1970: TimeInterval(seconds))
            #expect((try? transcoder.decode(transcoder.encode(date))) == date)
        }
    }
}
