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
