import CSVKit
import PropertyBased
import Testing

@Suite("The CSV reader, under generated input too")
struct CSVReaderTests {
    @Test("any bytes read as CSV give records or a problem with its line and field, never replacement characters")
    func csvBytes() async {
        let bytes = Gen<UInt8>.value(in: 0...255).array(of: 0...60)
        await propertyCheck(count: 1000, input: bytes) { bytes in
            do throws(CSVReader.Problem) {
                for record in try CSVReader.records(in: bytes) {
                    #expect(record.fields.allSatisfy { !$0.contains("\u{FFFD}") })
                }
            } catch {
                #expect(error.line >= 1 && error.field >= 1)
            }
        }
    }

    @Test("a file saved as Latin-1 is refused at the line and field of the first byte that is not UTF-8")
    func latin1() {
        // "Åsa" in Latin-1 on the third line, second field.
        let file = Array("name,city\nBo,Malmö\nx,".utf8) + [0xC5, 0x73, 0x61] + Array("\n".utf8)
        let error = #expect(throws: CSVReader.Problem.self) { try CSVReader.records(in: file) }
        #expect(error?.code == .invalidUTF8)
        #expect(error?.line == 3)
        #expect(error?.field == 2)
        #expect(error?.message.contains("UTF-8") == true)
        let open = #expect(throws: CSVReader.Problem.self) { try CSVReader.records(in: Array("a,b\n\"open,b\n".utf8)) }
        #expect(open?.code == .unterminatedQuote)
        #expect(open?.line == 2)
    }
}
