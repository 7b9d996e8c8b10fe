import Foundation
import Testing

/// Every page text has a Swedish and an English version, and every text key the Swift code asks
/// for exists in its target's catalogue (or PageKit's shared one): a missing key would show
/// on the page as the key itself.
@Suite("Page text catalogues")
struct CatalogueTests {
    /// The targets with pages: source folder and its catalogue.
    static var targets: [String] {
        ["Sources/PageKit", "Sources/Registry", "Sources/Host"] + BoundaryTests.featureNames.sorted().map { "Plugins/" + $0 }
    }

    static func catalogue(_ target: String) throws -> [String: [String: String]] {
        let url = BoundaryTests.root.appendingPathComponent(target).appendingPathComponent("Resources/strings.json")
        guard FileManager.default.fileExists(atPath: url.path) else { return [:] }
        return try JSONDecoder().decode([String: [String: String]].self, from: Data(contentsOf: url))
    }

    @Test("every text of every catalogue is in Swedish and English")
    func everyTextTranslated() throws {
        for target in Self.targets {
            for (key, texts) in try Self.catalogue(target) {
                #expect(Set(texts.keys) == ["sv", "en"], "\(target) strings.json: \(key) has \(texts.keys.sorted())")
                #expect(!texts.values.contains { $0.trimmingCharacters(in: .whitespaces).isEmpty }, "\(target): \(key) is blank")
            }
        }
    }

    @Test("every text key the pages' Swift code uses is in its catalogue")
    func keysExist() throws {
        let shared = try Self.catalogue("Sources/PageKit")
        #expect(!shared.isEmpty, "PageKit's shared catalogue Sources/PageKit/Resources/strings.json is missing")
        let literal = /\btext\("([A-Za-z0-9_]+)"|notice: "([A-Za-z0-9_]+)"|titleKey: "([A-Za-z0-9_]+)"/
        var missing: [String] = []
        for target in Self.targets {
            let known = try Self.catalogue(target).merging(shared) { own, _ in own }
            for file in BoundaryTests.sources(under: target) {
                // Doc comments' examples are not the target's own texts.
                let code = file.text.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("///") }.joined(
                    separator: "\n"
                )
                for match in code.matches(of: literal) {
                    let key = String(match.1 ?? match.2 ?? match.3 ?? "")
                    if known[key] == nil { missing.append("\(file.path): \(key)") }
                }
            }
        }
        #expect(missing.isEmpty, "text keys missing from their catalogue: \(missing)")
    }
}

/// The Swedish words a caseworker uses (issue 22, "Words and pages"), wherever a catalogue names
/// the thing: output indicators are "Utfall", an erased person is "Pseudonymiserad", the identity
/// field is "Personnummer eller samordningsnummer".
@Suite("Swedish words in the catalogues")
struct SwedishWordsTests {
    /// Keys naming the identity-number field, in any catalogue.
    static let identityFieldKeys: Set<String> = ["identityNumber", "identity_number", "field.identityNumber"]

    @Test("the identity field, an erased person and output indicators are named as a caseworker says them")
    func caseworkerWords() throws {
        var found = 0
        for target in CatalogueTests.targets {
            for (key, texts) in try CatalogueTests.catalogue(target) {
                let sv = texts["sv"] ?? ""
                if Self.identityFieldKeys.contains(key) {
                    found += 1
                    #expect(sv == "Personnummer eller samordningsnummer", "\(target): \(key) says \(sv)")
                }
                if key.hasSuffix("erased") && !key.hasPrefix("error_") {
                    #expect(sv == "Pseudonymiserad", "\(target): \(key) says \(sv)")
                }
                if key.hasSuffix("Kind_output") { #expect(sv == "Utfall", "\(target): \(key) says \(sv)") }
                #expect(!["Raderad", "Raderat", "Aktivitet"].contains(sv), "\(target): \(key) says \(sv)")
            }
        }
        #expect(found >= 3, "the identity field's keys were not found")
    }
}
