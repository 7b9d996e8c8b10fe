import Foundation
import PageKit
import PluginKit

extension HostConfiguration {
    /// The largest logo a letter carries (each stored letter holds it).
    static let maxLogoBytes = 512 * 1024

    /// Reads `letters`: the municipality's name and logo, the deciding authority, the letters'
    /// language, the case number series and pattern, and the operator's template folder, whose
    /// files are parsed here so that `config check` names a broken one with its line.
    static func letters(_ section: ConfigSection) -> DecisionLetters? {
        let municipality = section.string("municipality", default: "Kommunen")
        let authority = section.string("authority", default: "Socialnämnden")
        let language = Language(code: section.string("language", default: "sv", allowed: Language.allCases.map(\.rawValue)))
        let numbers = section.section("caseNumbers")
        let series = numbers.string("series", default: CaseNumberFormat.standard.series)
        let pattern = numbers.string("format", default: CaseNumberFormat.standard.pattern)
        var format = CaseNumberFormat.standard
        do { format = try CaseNumberFormat(series: series, pattern: pattern) } catch {
            numbers.problem("format", error.message)
        }
        numbers.reportUnreadKeys()
        var logo: (content: Data, type: String)?
        if let path = section.optionalString("logo") {
            let ext = URL(fileURLWithPath: path).pathExtension.lowercased()
            if let type = DecisionLetters.logoTypes[ext] {
                if let content = FileManager.default.contents(atPath: path), !content.isEmpty, content.count <= maxLogoBytes {
                    logo = (content, type)
                } else {
                    section.problem("logo", "\(path) is missing, empty, unreadable or larger than \(maxLogoBytes / 1024) KiB")
                }
            } else {
                section.problem("logo", "\(path) is not a PNG, JPEG or SVG file (.png, .jpg, .jpeg, .svg)")
            }
        }
        let folder = section.optionalString("templates")
        switch LetterTemplates.load(folder: folder) {
        case .success(let templates):
            return DecisionLetters(
                municipality: municipality,
                authority: authority,
                logo: logo,
                caseNumbers: format,
                language: language,
                templates: templates
            )
        case .failure(let problems):
            for message in problems.messages { section.problem("templates", message) }
            return nil
        }
    }
}
