import DataAccess
import PropertyBased
import Testing

@testable import Registry

@Suite("IdentityNumber properties")
struct IdentityNumberPropertyTests {
    static let today = LocalDate(year: 2026, month: 6, day: 15)!
    static let birthDays = Gen.int(
        in: LocalDate(year: 1900, month: 1, day: 1)!.daysSinceEpoch...LocalDate(year: 2025, month: 12, day: 31)!.daysSinceEpoch
    )
    static let serials = Gen.int(in: 0...999)

    @Test("a valid number in any typed form is accepted and keeps its twelve digits", arguments: [false, true])
    func validNumbersRoundTrip(coordination: Bool) async {
        await propertyCheck(input: Self.birthDays, Self.serials, Gen<IdentitySample.Form>.case, Gen.bool) { day, serial, form, plus in
            let sample = IdentitySample(birthDate: LocalDate(daysSinceEpoch: day), serial: serial, coordination: coordination)
            let text = sample.typed(form, plusIfAllowed: plus, today: Self.today)
            let expectedKind: IdentityNumber.Kind = coordination ? .samordningsnummer : .personnummer
            do {
                let number = try IdentityNumber(parsing: text, expecting: expectedKind, today: Self.today)
                #expect(number.digits == sample.stored)
                #expect(number.kind == expectedKind)
                #expect(number.birthDate == sample.birthDate)
                #expect(number.masked == sample.stored.prefix(8) + "-****")
                #expect(try IdentityNumber(storedDigits: number.digits) == number)
                #expect(try IdentityNumber(parsing: number.formatted, today: Self.today) == number)
            } catch {
                Issue.record("rejected a valid \(expectedKind) typed as \(form): \(error)")
            }
        }
    }

    @Test("the other kind is rejected", arguments: [false, true])
    func otherKindRejected(coordination: Bool) async {
        await propertyCheck(input: Self.birthDays, Self.serials, Gen<IdentitySample.Form>.case) { day, serial, form in
            let sample = IdentitySample(birthDate: LocalDate(daysSinceEpoch: day), serial: serial, coordination: coordination)
            let text = sample.typed(form, plusIfAllowed: false, today: Self.today)
            let wrongKind: IdentityNumber.Kind = coordination ? .personnummer : .samordningsnummer
            let expectedCode: NumberError.Code = coordination ? .coordinationNumberGiven : .notACoordinationNumber
            do throws(NumberError) {
                _ = try IdentityNumber(parsing: text, expecting: wrongKind, today: Self.today)
                Issue.record("accepted a \(wrongKind) of the other kind")
            } catch {
                #expect(error.code == expectedCode)
            }
        }
    }

    @Test("every single-digit change of a valid number is rejected", arguments: [false, true])
    func singleDigitChangesRejected(coordination: Bool) async {
        await propertyCheck(input: Self.birthDays, Self.serials, Gen<IdentitySample.Form>.case, Gen.bool) { day, serial, form, plus in
            let sample = IdentitySample(birthDate: LocalDate(daysSinceEpoch: day), serial: serial, coordination: coordination)
            let text = sample.typed(form, plusIfAllowed: plus, today: Self.today)
            for changed in IdentitySample.singleDigitChanges(of: text) {
                #expect(throws: NumberError.self) { try IdentityNumber(parsing: changed, today: Self.today) }
            }
        }
    }
}
