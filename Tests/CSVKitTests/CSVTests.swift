import CSVKit
import Testing

@Suite("CSV")
struct CSVTests {
    @Test("fields with commas, quotes and line breaks are quoted; lines end with CRLF")
    func quoting() {
        var csv = CSV("name", "note")
        csv.add("Café Gläntan, ek. för.", #"sa "hej""#)
        csv.add("Returbutiken", "rad 1\nrad 2")
        #expect(csv.text == "name,note\r\n\"Café Gläntan, ek. för.\",\"sa \"\"hej\"\"\"\r\nReturbutiken,\"rad 1\nrad 2\"\r\n")
    }

    @Test("a field a spreadsheet would run as a formula gets a leading quote; negative numbers stay numbers")
    func formulas() {
        var csv = CSV("value")
        for value in ["=SUM(A1:A9)", "+46 8 123", "@cmd", "-x", "-396", "-12.5"] { csv.add(value) }
        #expect(csv.rows.count == 6)
        #expect(csv.text == "value\r\n'=SUM(A1:A9)\r\n'+46 8 123\r\n'@cmd\r\n'-x\r\n-396\r\n-12.5\r\n")
    }
}

/// The dialects a spreadsheet opens as they are, beside RFC 4180 for the API.
@Suite("CSV dialects")
struct CSVDialectTests {
    static func table() -> CSV {
        var csv = CSV("name", "amount", "day")
        csv.add("Café Gläntan; ek. för.", "1234.50", "2016-01-31")
        csv.add("Returbutiken, Umeå", "-12.5", "v1.2.3")
        return csv
    }

    @Test("Swedish spreadsheets: a byte-order mark, `;` between fields, a decimal comma; a field with `;` is quoted")
    func swedish() {
        let bytes = Self.table().bytes(.spreadsheet(decimalComma: true))
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let text = String(decoding: bytes.dropFirst(3), as: UTF8.self)
        #expect(text == "name;amount;day\r\n\"Café Gläntan; ek. för.\";1234,50;2016-01-31\r\nReturbutiken, Umeå;-12,5;v1.2.3\r\n")
    }

    @Test("English spreadsheets: a byte-order mark, commas and decimal points")
    func english() {
        let bytes = Self.table().bytes(.spreadsheet(decimalComma: false))
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
        #expect(String(decoding: bytes.dropFirst(3), as: UTF8.self) == Self.table().text)
    }

    @Test("RFC 4180, the API's CSV, is unchanged: commas, decimal points, no byte-order mark")
    func rfc4180() {
        let csv = Self.table()
        #expect(csv.bytes(.rfc4180) == Array(csv.text.utf8))
        #expect(csv.text == "name,amount,day\r\nCafé Gläntan; ek. för.,1234.50,2016-01-31\r\n\"Returbutiken, Umeå\",-12.5,v1.2.3\r\n")
        #expect(csv.response(filename: "a.csv").dialect == .rfc4180)
    }
}
