import PropertyBased
import Testing

@testable import Registry

@Suite("OrganisationNumber properties")
struct OrganisationNumberPropertyTests {
    /// Ten digits: two free digits, a third digit in `third`, six free digits and the check digit.
    static func number(head: Int, third: Int, tail: Int) -> String {
        let body = IdentitySample.pad(head, 2) + String(third) + IdentitySample.pad(tail, 6)
        return body + String(Luhn.checkDigit(body.utf8.map { $0 - 48 }))
    }

    static func typed(_ digits: String, form: Int) -> String {
        switch form {
        case 0: digits
        case 1: digits.prefix(6) + "-" + digits.suffix(4)
        case 2: "16" + digits
        default: "16" + digits.prefix(6) + "-" + digits.suffix(4)
        }
    }

    @Test("a valid number in any typed form is accepted and keeps its ten digits")
    func validNumbersRoundTrip() async {
        await propertyCheck(input: Gen.int(in: 0...99), Gen.int(in: 2...9), Gen.int(in: 0...999_999), Gen.int(in: 0...3)) { head, third, tail, form in
            let digits = Self.number(head: head, third: third, tail: tail)
            do {
                let number = try OrganisationNumber(parsing: Self.typed(digits, form: form))
                #expect(number.digits == digits)
                #expect(try OrganisationNumber(parsing: number.formatted) == number)
            } catch {
                Issue.record("rejected a valid organisation number: \(error)")
            }
        }
    }

    @Test("a third digit below 2 is always rejected")
    func lowThirdDigitRejected() async {
        await propertyCheck(input: Gen.int(in: 0...99), Gen.int(in: 0...1), Gen.int(in: 0...999_999)) { head, third, tail in
            let digits = Self.number(head: head, third: third, tail: tail)
            do throws(NumberError) {
                _ = try OrganisationNumber(parsing: digits)
                Issue.record("accepted a third digit below 2")
            } catch {
                #expect(error.code == .thirdDigitTooLow)
            }
        }
    }

    @Test("every single-digit change of a valid number is rejected")
    func singleDigitChangesRejected() async {
        await propertyCheck(input: Gen.int(in: 0...99), Gen.int(in: 2...9), Gen.int(in: 0...999_999), Gen.int(in: 0...1)) { head, third, tail, form in
            let text = Self.typed(Self.number(head: head, third: third, tail: tail), form: form)
            for changed in IdentitySample.singleDigitChanges(of: text) {
                #expect(throws: NumberError.self) { try OrganisationNumber(parsing: changed) }
            }
        }
    }
}
