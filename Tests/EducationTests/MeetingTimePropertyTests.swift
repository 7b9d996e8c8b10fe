import DataAccess
import PropertyBased
import TestSupport
import Testing

@testable import Education

@Suite("Meeting times under generated input")
struct MeetingTimePropertyTests {
    @Test("a meeting's start is a real day from 1900-01-01 to 2199-12-31 and a time 00:00–23:59, or refused, for any text")
    func startsAt() async {
        let times = zip(InputSamples.any, Gen.int(in: -1...25), Gen.int(in: -1...61)).map { parts in
            parts.0 + "T" + InputSamples.padded(parts.1, 2) + ":" + InputSamples.padded(parts.2, 2)
        }
        await propertyCheck(count: 2000, input: times) { text in
            guard let start = EducationStore.localTime(text) else { return }
            let day = try #require(LocalDate(String(start.prefix(10))))
            #expect(LocalDate.supported.contains(day))
            #expect(start.dropFirst(10) == text.dropFirst(10).replacing("T", with: " "))
        }
        #expect(EducationStore.localTime("0957-09-06T18:00") == nil)
        #expect(EducationStore.localTime("2016-09-06T18:00") == "2016-09-06 18:00")
    }
}
