public import DataAccess
public import Foundation
public import PluginKit

/// The municipality's decision letters: its name and logo, its case numbers, the language its
/// letters are written in and their templates (`letters` in `config/kooperator.yaml`). The host
/// makes one from the config and gives it to every feature (`context.letters`); a feature that
/// records a decision draws the case number and writes the letter in the decision's own
/// transaction, and keeps the letter's text, so it reads later as it was sent.
///
/// ```swift
/// let number = try agreement.caseNumber ?? letters.caseNumbers.draw(on: day, for: ("partnerships", "agreement", id), actor: actor, in: tx)
/// let html = try letters.render(DecisionLetter(kind: .grantRejected, caseNumber: number, decidedOn: day, recipient: name, subject: title))
/// ```
public struct DecisionLetters: Sendable {
    /// The municipality's name as its letters are signed, e.g. "Göteborgs Stad".
    public let municipality: String
    /// The committee or unit that decides, under the name, e.g. "Social resursnämnden".
    public let authority: String
    /// The logo as a `data:` URL, kept inside each letter so a stored letter needs nothing else.
    let logo: String?
    /// How case numbers are written and drawn.
    public let caseNumbers: CaseNumberFormat
    /// The language the letters are written in.
    public let language: Language
    let templates: LetterTemplates

    /// The logos a letter can carry, by the file's extension.
    public static let logoTypes = ["png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "svg": "image/svg+xml"]

    /// Letters with the given settings.
    ///
    /// - Parameters:
    ///   - municipality: The municipality's name.
    ///   - authority: The deciding committee or unit.
    ///   - logo: The logo file's content and media type (one of ``logoTypes``), or `nil`.
    ///   - caseNumbers: The case number series and pattern.
    ///   - language: The letters' language.
    ///   - templates: The templates (``LetterTemplates/load(folder:)``).
    public init(
        municipality: String,
        authority: String,
        logo: (content: Data, type: String)? = nil,
        caseNumbers: CaseNumberFormat = .standard,
        language: Language = .sv,
        templates: LetterTemplates
    ) {
        self.municipality = municipality
        self.authority = authority
        self.logo = logo.map { "data:\($0.type);base64,\($0.content.base64EncodedString())" }
        self.caseNumbers = caseNumbers
        self.language = language
        self.templates = templates
    }

    /// The letter as a whole HTML page: the municipality's name and logo, the case number and
    /// date, the addressee, the decision and its grounds, how to appeal (where it can be), on
    /// A4 when printed.
    ///
    /// - Throws: ``PageSetupError`` when a template is missing (the shipped ones never are).
    public func render(_ letter: DecisionLetter) throws(PageSetupError) -> String {
        var data: [String: Any] = letter.facts
        data["caseNumber"] = letter.caseNumber
        data["date"] = letter.decidedOn.description
        data["recipient"] = letter.recipient
        data["subject"] = letter.subject
        data["municipality"] = municipality
        data["authority"] = authority
        data["year"] = String(letter.decidedOn.year)
        data["body"] = try templates.render(letter.kind.rawValue, language, data)
        data["logo"] = logo ?? false
        data["lang"] = language.rawValue
        return try templates.render("letter", language, data)
    }
}

/// The kernel service key of ``DecisionLetters``.
enum DecisionLettersKey: KernelServiceKey {
    typealias Value = DecisionLetters
}

extension FeatureContext {
    /// The municipality's decision letters and case numbers.
    ///
    /// - Throws: ``KernelServices/Missing`` when the host did not provide them (a wiring error).
    public var letters: DecisionLetters { get throws(KernelServices.Missing) { try kernel.service(DecisionLettersKey.self) } }
}

extension KernelServices {
    /// Provides the decision letters to every feature (the host calls this once).
    public mutating func provide(_ letters: DecisionLetters) { self[DecisionLettersKey.self] = letters }
}
