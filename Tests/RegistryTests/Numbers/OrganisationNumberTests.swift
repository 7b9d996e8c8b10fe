import Foundation
import Testing

@testable import Registry

@Suite("OrganisationNumber")
struct OrganisationNumberTests {
    /// The code `text` is rejected with, after checking that the message does not repeat it.
    static func rejection(_ text: String) -> NumberError.Code? {
        do {
            _ = try OrganisationNumber(parsing: text)
            return nil
        } catch {
            let digits = text.filter(\.isNumber)
            #expect(!error.message.contains(digits), "message repeats the number")
            return error.code
        }
    }

    @Test("accepts every typed form", arguments: ["556036-0793", "5560360793", "16556036-0793", "165560360793", "  556036-0793\n"])
    func typedForms(text: String) throws {
        let number = try OrganisationNumber(parsing: text)
        #expect(number.digits == "5560360793")
        #expect(number.formatted == "556036-0793")
        #expect(number.description == "556036-0793")
        #expect("\(number)" == "556036-0793")
    }

    @Test("accepts other valid numbers", arguments: ["202100-5406", "212000-0142"])
    func otherExamples(text: String) throws {
        #expect(try OrganisationNumber(parsing: text).formatted == text)
    }

    @Test("a third digit below 2 is rejected, even with a valid check digit")
    func thirdDigit() {
        #expect(Self.rejection("550036-0796") == .thirdDigitTooLow)
        #expect(Self.rejection("811218-9876") == .thirdDigitTooLow)  // a personnummer
    }

    @Test("a wrong check digit is rejected", arguments: ["556036-0794", "5560360790", "16556036-0792"])
    func badCheckDigit(text: String) {
        #expect(Self.rejection(text) == .badCheckDigit)
    }

    @Test("wrong digit counts are rejected", arguments: ["", "556036-079", "55603607931", "195560360793", "1655603607931", "5560360"])
    func wrongLength(text: String) {
        #expect(Self.rejection(text) == .wrongLength)
    }

    @Test(
        "separators other than one '-' before the last four digits are rejected",
        arguments: ["556036+0793", "55603-60793", "556036--0793", "16-5560360793"]
    )
    func badSeparator(text: String) {
        #expect(Self.rejection(text) == .badSeparator)
    }

    @Test("anything but digits and a separator is rejected", arguments: ["55603A-0793", "556036 0793", "556036_0793"])
    func notDigits(text: String) {
        #expect(Self.rejection(text) == .notDigits)
    }

    @Test("Codable uses the formatted number")
    func codable() throws {
        let numbers = [try OrganisationNumber(parsing: "5560360793")]
        let data = try JSONEncoder().encode(numbers)
        #expect(String(decoding: data, as: UTF8.self) == #"["556036-0793"]"#)
        #expect(try JSONDecoder().decode([OrganisationNumber].self, from: data) == numbers)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([OrganisationNumber].self, from: Data(#"["556036-0794"]"#.utf8)) }
    }
}
