import DataAccess
import FeatureSupport
import Foundation
import PageKit
import PluginKit
import Registry

extension PartnershipStore {
    /// The letter a change of state sends, when the change is a decision.
    static func letterKind(for state: AgreementState) -> DecisionLetter.Kind? {
        switch state {
        case .granted: .grantDecided
        case .rejected: .grantRejected
        case .repaymentClaimed: .repaymentClaimed
        case .signed: .agreementSigned
        case .terminated: .agreementTerminated
        default: nil
        }
    }

    /// Gives a case without a number the next one of the configured series, when a decision is
    /// made on it; a case with a number keeps it.
    func numberCase(_ agreement: Agreement, on day: LocalDate, letters: DecisionLetters, actor: Actor, in tx: Transaction) throws {
        guard agreement.caseNumber == nil else { return }
        let number = try letters.caseNumbers.draw(on: day, for: (Self.feature, "agreement", agreement.id), actor: actor, in: tx)
        try tx.execute("UPDATE partnerships.agreements SET case_number = \(number) WHERE id = \(agreement.id)")
    }

    /// Writes a decision's letter and files it among the agreement's documents, with the day and
    /// what it decided, audited. Its text is kept as written, so a later template change leaves it.
    func fileLetter(
        _ kind: DecisionLetter.Kind,
        for agreement: Agreement,
        grounds: String?,
        on day: LocalDate,
        letters: DecisionLetters,
        actor: Actor,
        in tx: Transaction
    ) throws -> Document {
        let language = letters.language
        let money = { (amount: Decimal?) in amount.map { Kronor.text($0, language) } }
        let names = try tx.query(
            """
            SELECT o.name, p.side FROM partnerships.parties p JOIN registry.organisations o ON o.id = p.organisation_id
            WHERE p.agreement_id = \(agreement.id) ORDER BY p.side = 'public', \(SQL.swedish("o.name"))
            """
        ).map { (try $0.decode("name", as: String.self), try $0.decode("side", as: String.self)) }
        let ideaBased = names.filter { $0.1 == "ideaBased" }.map(\.0)
        let recipient = ListFormatter.join(ideaBased.isEmpty ? names.map(\.0) : ideaBased, language)
        var facts: [String: String] = [
            "grantYear": String(agreement.grantYear ?? agreement.from.year), "purpose": agreement.purpose,
            "from": agreement.from.description, "kind": Self.kindPhrase(agreement.kind, language),
        ]
        facts["grounds"] = grounds
        facts["amount"] = money(agreement.grantedAmount)
        facts["appliedAmount"] = money(agreement.appliedAmount)
        facts["conditions"] = agreement.conditions
        facts["reportDueOn"] = agreement.reportDueOn?.description
        facts["to"] = agreement.to?.description
        facts["reviewOn"] = agreement.reviewOn?.description
        facts["terminationTerms"] = agreement.terminationTerms
        if kind == .repaymentClaimed {
            let claim = try tx.query(
                "SELECT amount, reason FROM partnerships.repayment_claims WHERE agreement_id = \(agreement.id) ORDER BY id DESC LIMIT 1"
            ).single()
            facts["amount"] = money(try claim.decode("amount", as: Decimal.self))
            facts["reason"] = try claim.decode("reason", as: String.self)
            facts["paidAmount"] = money(agreement.paidAmount)
        }
        let letter = DecisionLetter(
            kind: kind,
            caseNumber: agreement.caseNumber ?? "",
            decidedOn: day,
            recipient: recipient,
            subject: agreement.title,
            facts: facts
        )
        let content = Data(try letters.render(letter).utf8)
        let row = try tx.query(
            """
            INSERT INTO partnerships.documents AS d (agreement_id, filename, content_type, size_bytes, content, uploaded_by, letter, decided_on)
            VALUES (\(agreement.id), \(letter.filename(language)), 'text/html; charset=utf-8', \(content.count), \(content), \(actor.name),
                    \(kind.rawValue), \(day))
            RETURNING \(Document.columns)
            """
        ).single()
        let document = try Document(row: row)
        try tx.audit(actor, feature: Self.feature, entity: "document", id: document.id, action: "letter", after: document)
        return document
    }

    /// The agreement's kind as the letter names it ("ett idéburet offentligt partnerskap (IOP)").
    static func kindPhrase(_ kind: AgreementKind, _ language: Language) -> String {
        switch (kind, language) {
        case (.iop, .sv): "ett idéburet offentligt partnerskap (IOP)"
        case (.iop, .en): "an idea-based public partnership (IOP)"
        case (.associationGrant, .sv): "föreningsbidrag"
        case (.associationGrant, .en): "an association grant"
        case (.frameworkAgreement, .sv): "en överenskommelse"
        case (.frameworkAgreement, .en): "a framework agreement"
        case (.supervisionContract, .sv): "ett avtal om handledning"
        case (.supervisionContract, .en): "a supervision contract"
        }
    }
}

/// Names in a sentence: "A, B och C" ("A, B and C").
enum ListFormatter {
    static func join(_ names: [String], _ language: Language) -> String {
        guard names.count > 1 else { return names.first ?? "" }
        return names.dropLast().joined(separator: ", ") + (language == .en ? " and " : " och ") + names[names.count - 1]
    }
}
