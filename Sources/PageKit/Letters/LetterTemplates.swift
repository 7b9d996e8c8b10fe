public import Foundation
import Mustache

/// The texts of the decision letters, as Mustache files per language: `sv/grantDecided.mustache`,
/// `en/grantDecided.mustache`, … (one per ``DecisionLetter/Kind``), the page around them
/// (`letter.mustache`) and the partials they share (`lawfulnessReview.mustache`, how to ask for a
/// laglighetsprövning). The shipped texts are in PageKit's `Resources/Letters`; a file of the
/// same name in the operator's folder (`letters.templates`) replaces one of them.
public struct LetterTemplates: Sendable {
    /// The files of a language's folder, without `.mustache`.
    public static let names = ["letter", "lawfulnessReview", "civilLaw"] + DecisionLetter.Kind.allCases.map(\.rawValue)

    let libraries: [Language: MustacheLibrary]
    /// The operator's files in use, as `sv/grantDecided.mustache`, for `config check`.
    public let overridden: [String]

    /// Loads the shipped texts with the operator's files over them.
    ///
    /// - Parameter folder: The operator's folder, or `nil` for the shipped texts only. Files
    ///   other than the known names are refused, so a misspelt name is not silently unused.
    /// - Returns: The templates, or every problem found: a file that does not parse (named with
    ///   its line and column), an unknown or unreadable file, a missing folder.
    public static func load(folder: String?) -> Result<LetterTemplates, LetterTemplateProblems> {
        var problems: [String] = []
        var libraries: [Language: MustacheLibrary] = [:]
        var overridden: [String] = []
        let shipped: URL
        do { shipped = try PageTemplates.resources(of: .module).appendingPathComponent("Letters") } catch {
            return .failure(LetterTemplateProblems(messages: ["\(error)"]))
        }
        let operatorFolder = folder.map { URL(fileURLWithPath: $0) }
        if let operatorFolder {
            var isDirectory: ObjCBool = false
            if !FileManager.default.fileExists(atPath: operatorFolder.path, isDirectory: &isDirectory) || !isDirectory.boolValue {
                problems.append("\(operatorFolder.path) is not a folder")
            } else {
                problems += unknownFiles(in: operatorFolder)
            }
        }
        for language in Language.allCases {
            var library = MustacheLibrary()
            for name in names {
                let file = "\(language.rawValue)/\(name).mustache"
                var url = shipped.appendingPathComponent(file)
                if let own = operatorFolder?.appendingPathComponent(file), FileManager.default.fileExists(atPath: own.path) {
                    url = own
                    overridden.append(file)
                }
                do {
                    let text = try String(contentsOf: url, encoding: .utf8)
                    library.register(try MustacheTemplate(string: text), named: name)
                } catch let error as MustacheTemplate.ParserError {
                    problems.append(
                        "\(url.path) line \(error.context.lineNumber), column \(error.context.columnNumber): \(error.error) in “\(error.context.line.trimmingCharacters(in: .whitespaces))”"
                    )
                } catch {
                    problems.append("cannot read \(url.path): \(error)")
                }
            }
            libraries[language] = library
        }
        guard problems.isEmpty else { return .failure(LetterTemplateProblems(messages: problems)) }
        return .success(LetterTemplates(libraries: libraries, overridden: overridden))
    }

    /// Files in the operator's folder that no letter would read.
    static func unknownFiles(in folder: URL) -> [String] {
        let known = Set(Language.allCases.flatMap { language in names.map { "\(language.rawValue)/\($0).mustache" } })
        var unknown: [String] = []
        for language in Language.allCases {
            let sub = folder.appendingPathComponent(language.rawValue)
            let files = (try? FileManager.default.contentsOfDirectory(atPath: sub.path)) ?? []
            for file in files.sorted() where !file.hasPrefix(".") && !known.contains("\(language.rawValue)/\(file)") {
                unknown.append("\(sub.appendingPathComponent(file).path) is not a letter template (known: \(names.joined(separator: ", ")))")
            }
        }
        return unknown
    }

    /// Renders `name` in `language` with `data`.
    func render(_ name: String, _ language: Language, _ data: Any) throws(PageSetupError) -> String {
        guard let html = libraries[language]?.render(data, withTemplate: name) else {
            throw PageSetupError("no letter template \(language.rawValue)/\(name).mustache")
        }
        return html
    }
}

/// Why the letter templates could not be loaded: one message per file.
public struct LetterTemplateProblems: Error, Sendable, CustomStringConvertible {
    /// Each problem, naming the file (and the line, for one that does not parse).
    public let messages: [String]

    public var description: String { messages.joined(separator: "; ") }
}
