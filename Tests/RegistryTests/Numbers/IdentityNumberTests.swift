import DataAccess
import Foundation
import Testing

@testable import Registry

@Suite("IdentityNumber")
struct IdentityNumberTests {
    static let today = LocalDate(year: 2026, month: 11, day: 29)!

    static func parse(_ text: String, expecting kind: IdentityNumber.Kind? = nil) throws(NumberError) -> IdentityNumber {
        try IdentityNumber(parsing: text, expecting: kind, today: today)
    }

    /// The code `text` is rejected with, after checking that the message does not repeat it.
    static func rejection(_ text: String, expecting kind: IdentityNumber.Kind? = nil) -> NumberError.Code? {
        do {
            _ = try parse(text, expecting: kind)
            return nil
        } catch {
            let digits = text.filter(\.isNumber)
            #expect(!error.message.contains(digits), "message repeats the number")
            #expect(!error.description.contains(digits), "description repeats the number")
            #expect(!error.message.contains(String(digits.suffix(4))), "message repeats the last four digits")
            return error.code
        }
    }

    @Test(
        "accepts every typed form of a personnummer",
        arguments: ["811218-9876", "19811218-9876", "8112189876", "198112189876", "  811218-9876\n", "\t19811218-9876 "]
    )
    func typedForms(text: String) throws {
        let number = try Self.parse(text)
        #expect(number.digits == "198112189876")
        #expect(number.kind == .personnummer)
        #expect(number.birthDate == LocalDate(year: 1981, month: 12, day: 18))
        #expect(number.formatted == "19811218-9876")
        #expect(number.masked == "19811218-****")
    }

    @Test("accepts other Skatteverket-style test numbers")
    func otherExamples() throws {
        #expect(try Self.parse("811228-9874").digits == "198112289874")
        #expect(try Self.parse("850101-1236").birthDate == LocalDate(year: 1985, month: 1, day: 1))
    }

    @Test("a samordningsnummer has day + 60 and its real birth date")
    func coordinationNumber() throws {
        let number = try Self.parse("701063-2391")
        #expect(number.digits == "197010632391")
        #expect(number.kind == .samordningsnummer)
        #expect(number.birthDate == LocalDate(year: 1970, month: 10, day: 3))
        #expect(number.masked == "19701063-****")
        #expect(number.formatted == "19701063-2391")
        #expect(try Self.parse("850161-1233", expecting: .samordningsnummer).masked == "19850161-****")
    }

    @Test("the expected kind is enforced")
    func expectedKind() throws {
        #expect(try Self.parse("811218-9876", expecting: .personnummer).kind == .personnummer)
        #expect(try Self.parse("701063-2391", expecting: .samordningsnummer).kind == .samordningsnummer)
        #expect(Self.rejection("701063-2391", expecting: .personnummer) == .coordinationNumberGiven)
        #expect(Self.rejection("19701063-2391", expecting: .personnummer) == .coordinationNumberGiven)
        #expect(Self.rejection("811218-9876", expecting: .samordningsnummer) == .notACoordinationNumber)
    }

    @Test("a ten-digit number with '-' or none gets the century in which the person turns under 100 this year")
    func centuryForMinus() throws {
        #expect(try Self.parse("121212-1212").birthDate == LocalDate(year: 2012, month: 12, day: 12))
        #expect(try Self.parse("1212121212").birthDate == LocalDate(year: 2012, month: 12, day: 12))
        // Born today is fine; the turn of the century window is 1927–2026.
        #expect(try Self.parse("261129-1234").birthDate == Self.today)
        #expect(try Self.parse("270101-1237").birthDate == LocalDate(year: 1927, month: 1, day: 1))
        // 2026-12-31 is in the future, and 1926 would make the person turn 100 this year (needs '+').
        #expect(Self.rejection("261231-1239") == .futureDate)
    }

    @Test("a ten-digit number with '+' belongs to someone who turns 100 or more this year")
    func centuryForPlus() throws {
        #expect(try Self.parse("121212+1212").birthDate == LocalDate(year: 1912, month: 12, day: 12))
        #expect(try Self.parse("121212+1212").digits == "191212121212")
        #expect(try Self.parse("261231+1239").birthDate == LocalDate(year: 1926, month: 12, day: 31))
        #expect(try Self.parse("270101+1237").birthDate == LocalDate(year: 1827, month: 1, day: 1))
    }

    @Test("a twelve-digit number keeps its century, and a '+' must agree with it")
    func twelveDigitPlus() throws {
        #expect(try Self.parse("19121212+1212").digits == "191212121212")
        #expect(try Self.parse("19261231+1239").birthDate == LocalDate(year: 1926, month: 12, day: 31))
        #expect(try Self.parse("19121212-1212").birthDate == LocalDate(year: 1912, month: 12, day: 12))
        #expect(Self.rejection("20121212+1212") == .centuryMismatch)
        #expect(Self.rejection("19270101+1237") == .centuryMismatch)
    }

    @Test(
        "impossible dates are rejected",
        arguments: [
            "850230-1230",  // 30 February
            "851301-1232",  // month 13
            "850132-1239",  // day 32
            "850160-1234",  // day 60: neither a day nor a coordination day
            "850192-1236",  // day 92
            "000229+1235",  // 1900 was not a leap year
        ]
    )
    func impossibleDates(text: String) {
        #expect(Self.rejection(text) == .impossibleDate)
    }

    @Test("29 February exists in leap years")
    func leapDay() throws {
        #expect(try Self.parse("000229-1235").birthDate == LocalDate(year: 2000, month: 2, day: 29))
    }

    @Test("a birth date after today is rejected")
    func futureDates() {
        #expect(Self.rejection("20300101-1232") == .futureDate)
        #expect(Self.rejection("20261130-1231") == .futureDate)
        #expect(Self.rejection("261130-1231") == .futureDate)
        #expect(Self.rejection("261231-1239") == .futureDate)
    }

    @Test(
        "wrong digit counts are rejected",
        arguments: ["", "   ", "811218987", "81121898765", "1981121898765", "811218-987", "19811218-98765", "81-9876"]
    )
    func wrongLengths(text: String) {
        #expect(Self.rejection(text) == .wrongLength)
    }

    @Test(
        "anything but digits and one separator is rejected",
        arguments: ["81121A-9876", "811218 9876", "811218–9876", "٨١١٢١٨-٩٨٧٦", "811218/9876"]
    )
    func notDigits(text: String) {
        #expect(Self.rejection(text) == .notDigits)
    }

    @Test(
        "a misplaced or repeated separator is rejected",
        arguments: ["8112-189876", "811218--9876", "81121-89876", "1981121-89876", "-8112189876", "8112189876-"]
    )
    func badSeparators(text: String) {
        #expect(Self.rejection(text) == .badSeparator)
    }

    @Test("a wrong check digit is rejected", arguments: ["811218-9875", "19811218-9870", "7010632392", "121212+1213"])
    func badCheckDigits(text: String) {
        #expect(Self.rejection(text) == .badCheckDigit)
    }

    @Test("description and interpolation show only the masked number")
    func masking() throws {
        let number = try Self.parse("811218-9876")
        #expect(number.description == "19811218-****")
        #expect("\(number)" == "19811218-****")
        #expect(String(describing: number) == "19811218-****")
        #expect(!"\(number)".contains("9876"))
    }

    @Test("age counts whole years")
    func age() throws {
        let number = try Self.parse("811218-9876")
        #expect(number.age(on: Self.today) == 44)
        #expect(number.age(on: LocalDate(year: 2026, month: 12, day: 17)!) == 44)
        #expect(number.age(on: LocalDate(year: 2026, month: 12, day: 18)!) == 45)
        #expect(number.age(on: LocalDate(year: 1981, month: 12, day: 18)!) == 0)
        #expect(number.age(on: LocalDate(year: 1981, month: 12, day: 17)!) == -1)
        #expect(try Self.parse("121212+1212").age(on: Self.today) == 113)
        #expect(try Self.parse("701063-2391").age(on: LocalDate(year: 2020, month: 10, day: 3)!) == 50)
    }

    @Test("someone born on 29 February turns a year older on 28 February in common years")
    func leapDayAge() throws {
        let number = try Self.parse("000229-1235")
        #expect(number.age(on: LocalDate(year: 2026, month: 2, day: 27)!) == 25)
        #expect(number.age(on: LocalDate(year: 2026, month: 2, day: 28)!) == 26)
        #expect(number.age(on: LocalDate(year: 2028, month: 2, day: 28)!) == 27)
        #expect(number.age(on: LocalDate(year: 2028, month: 2, day: 29)!) == 28)
    }

    @Test("stored digits are validated without today's date")
    func storedDigits() throws {
        #expect(try IdentityNumber(storedDigits: "198112189876") == Self.parse("811218-9876"))
        #expect(try IdentityNumber(storedDigits: "197010632391").kind == .samordningsnummer)
        #expect(throws: NumberError.self) { try IdentityNumber(storedDigits: "19811218-9876") }
        #expect(throws: NumberError.self) { try IdentityNumber(storedDigits: " 198112189876") }
        #expect(throws: NumberError.self) { try IdentityNumber(storedDigits: "8112189876") }
        #expect(throws: NumberError.self) { try IdentityNumber(storedDigits: "198112189875") }
        #expect(throws: NumberError.self) { try IdentityNumber(storedDigits: "198502301230") }
        #expect(Self.storedRejection("8112189876") == .wrongLength)
        #expect(Self.storedRejection("19811218-9876") == .notDigits)
        #expect(Self.storedRejection("198112189875") == .badCheckDigit)
        #expect(Self.storedRejection("198502301230") == .impossibleDate)
    }

    static func storedRejection(_ digits: String) -> NumberError.Code? {
        do {
            _ = try IdentityNumber(storedDigits: digits)
            return nil
        } catch {
            return error.code
        }
    }

    @Test("a number encodes masked, never whole, also inside other values; a whole one decodes")
    func codable() throws {
        let numbers = [try Self.parse("811218-9876"), try Self.parse("701063-2391"), try Self.parse("121212+1212")]
        let data = try JSONEncoder().encode(numbers)
        #expect(String(decoding: data, as: UTF8.self) == #"["19811218-****","19701063-****","19121212-****"]"#)
        struct Holder: Encodable {
            let number: IdentityNumber
            let numbers: [String: IdentityNumber]
        }
        let holder = Holder(number: numbers[0], numbers: ["b": numbers[1]])
        let nested = String(decoding: try JSONEncoder().encode(holder), as: UTF8.self)
        #expect(!nested.contains("9876") && !nested.contains("2391") && nested.contains("19811218-****"), "\(nested)")
        let whole = Data(#"["19811218-9876","19701063-2391","19121212-1212"]"#.utf8)
        #expect(try JSONDecoder().decode([IdentityNumber].self, from: whole) == numbers)
        #expect(throws: DecodingError.self, "a masked number is not a number") { try JSONDecoder().decode([IdentityNumber].self, from: data) }
    }

    @Test("decoding an invalid number fails without repeating it")
    func decodingInvalid() {
        let data = Data(#"["19811218-9875"]"#.utf8)
        do {
            _ = try JSONDecoder().decode([IdentityNumber].self, from: data)
            Issue.record("decoded an invalid number")
        } catch let error as DecodingError {
            guard case .dataCorrupted(let context) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(!context.debugDescription.contains("9875"))
            #expect((context.underlyingError as? NumberError)?.code == .badCheckDigit)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test("error codes have stable ids")
    func codeIds() {
        #expect(NumberError.Code.badCheckDigit.id == "badCheckDigit")
        #expect(NumberError.Code.centuryMismatch.id == "centuryMismatch")
        #expect(NumberError.badCheckDigit.description == "badCheckDigit: the check digit does not match")
    }
}
