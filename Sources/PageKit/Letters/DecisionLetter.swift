public import DataAccess

/// A decision's letter before it is written: what was decided, on which case, for whom, and the
/// facts its template names. A feature fills one in the decision's transaction and stores what
/// ``DecisionLetters/render(_:)`` makes of it, so a later change of the templates leaves the
/// letters already sent as they were.
public struct DecisionLetter: Sendable, Hashable {
    /// The decisions that get a letter; each has a template of the same name.
    public enum Kind: String, Sendable, Hashable, CaseIterable, Codable {
        /// A grant decided: the amount, its conditions and the report's due date.
        case grantDecided
        /// A grant applied for and rejected.
        case grantRejected
        /// A repayment of a grant claimed: the amount and the reason.
        case repaymentClaimed
        /// A funding pot re-examined: extended, ended or turned into a grant.
        case potDecided
        /// An agreement (IOP, framework agreement, supervision contract) signed.
        case agreementSigned
        /// An agreement terminated.
        case agreementTerminated
    }

    /// What was decided.
    public var kind: Kind
    /// The case number the letter is filed under.
    public var caseNumber: String
    /// The day of the decision, the letter's date.
    public var decidedOn: LocalDate
    /// Whom the letter is for: the organisation(s) the decision concerns.
    public var recipient: String
    /// What the case is about: the grant's or agreement's title, the pot's purpose.
    public var subject: String
    /// The facts the template names (`{{amount}}`, `{{reason}}`, …), already written for the
    /// letter's language; Mustache escapes them.
    public var facts: [String: String]

    /// Describes a letter.
    ///
    /// - Parameters:
    ///   - kind: What was decided.
    ///   - caseNumber: The case number.
    ///   - decidedOn: The day of the decision.
    ///   - recipient: Whom it is for.
    ///   - subject: What the case is about.
    ///   - facts: The facts its template names.
    public init(kind: Kind, caseNumber: String, decidedOn: LocalDate, recipient: String, subject: String, facts: [String: String] = [:]) {
        self.kind = kind
        self.caseNumber = caseNumber
        self.decidedOn = decidedOn
        self.recipient = recipient
        self.subject = subject
        self.facts = facts
    }

    /// The stored file's name: `beslut-SRN-2015-00123.html` (`decision-…` in English).
    public func filename(_ language: Language) -> String {
        let safe = caseNumber.map { $0.isLetter || $0.isNumber ? String($0) : "-" }.joined()
        return "\(language == .en ? "decision" : "beslut")-\(safe)-\(kind.rawValue).html"
    }
}
