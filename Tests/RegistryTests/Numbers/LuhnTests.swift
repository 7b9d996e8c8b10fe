import Testing

@testable import Registry

@Suite("Luhn")
struct LuhnTests {
    static func digits(_ text: String) -> [UInt8] { text.utf8.map { $0 - 48 } }

    @Test("computes known check digits")
    func knownCheckDigits() {
        #expect(Luhn.checkDigit(Self.digits("811218987")) == 6)
        #expect(Luhn.checkDigit(Self.digits("701063239")) == 1)
        #expect(Luhn.checkDigit(Self.digits("556036079")) == 3)
        #expect(Luhn.checkDigit(Self.digits("000000000")) == 0)
    }

    @Test("validates the last digit against the rest")
    func validation() {
        #expect(Luhn.isValid(Self.digits("8112189876")))
        #expect(!Luhn.isValid(Self.digits("8112189875")))
        #expect(!Luhn.isValid([UInt8]()))
        #expect(Luhn.isValid(Self.digits("0")))
    }
}
