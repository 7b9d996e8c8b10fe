import DataAccess
import FeatureSupport
import Foundation
import PluginKit
import Registry

/// What to list of the agreements.
struct AgreementQuery: Sendable, Hashable {
    var kind: AgreementKind?
    var state: AgreementState?
    var organisationId: Int?
    var flagged: Bool?
    /// Only those whose case number contains this text (case and accents aside).
    var caseNumber: String? = nil
}

extension PartnershipStore {
    /// An agreement's case number as search compares it (lower case, Swedish letters without
    /// their marks), for a `LIKE` with `SearchText.containsPattern`.
    static let foldedCaseNumber: SQL = "translate(lower(a.case_number), 'åäöéüÅÄÖÉÜ', 'aaoeuaaoeu')"

    /// The agreement with `id`, if one of its parties is within reach.
    func agreement(id: Int, reach: Reach, in executor: some SQLExecutor) throws -> Agreement {
        guard
            let row = try executor.queryFirst(
                "SELECT \(Agreement.columns) FROM partnerships.agreements a WHERE a.id = \(id) AND \(Self.allows(reach))"
            )
        else { throw FeatureError.notFound("agreement", id: id) }
        return try Agreement(row: row)
    }

    /// Agreements by id within reach.
    func agreements(matching query: AgreementQuery, page: PageRequest, reach: Reach, in executor: some SQLExecutor) throws -> Page<Agreement> {
        var conditions: [SQL] = [Self.allows(reach)]
        if let kind = query.kind { conditions.append("a.kind = \(kind)") }
        if let state = query.state { conditions.append("a.state = \(state)") }
        if let organisation = query.organisationId {
            conditions.append("EXISTS (SELECT 1 FROM partnerships.parties qp WHERE qp.agreement_id = a.id AND qp.organisation_id = \(organisation))")
        }
        if let flagged = query.flagged { conditions.append("a.flagged_for_review = \(flagged)") }
        if let caseNumber = query.caseNumber?.trimmingCharacters(in: .whitespaces), !caseNumber.isEmpty {
            conditions.append("\(Self.foldedCaseNumber) LIKE \(SearchText.containsPattern(caseNumber))")
        }
        if let after = page.afterID { conditions.append("a.id > \(after)") }
        let rows = try executor.query(
            """
            SELECT \(Agreement.columns) FROM partnerships.agreements a
            WHERE \(SQL.joined(conditions, separator: " AND ")) ORDER BY a.id LIMIT \(page.limit + 1)
            """
        )
        return page.page(try rows.map(Agreement.init(row:)), id: \.id)
    }

    /// Records an agreement (in `draft`) or a grant application (in `applied`) with its parties
    /// and contributions.
    ///
    /// - Throws: ``FeatureError`` `.invalidInput` naming the field: text, dates, amounts,
    ///   parties (unknown, outside reach, repeated, the wrong sides for the kind), contributions.
    func createAgreement(_ draft: AgreementDraft, reach: Reach, actor: Actor, in tx: Transaction) throws -> Agreement {
        let title = try Input.text(draft.title, field: "/title")
        let caseNumber = try Input.optionalText(draft.caseNumber, field: "/caseNumber", maxLength: 40)
        let purpose = try Input.text(draft.purpose, field: "/purpose", maxLength: 4000)
        try Self.period(from: draft.from, to: draft.to, field: "/to")
        if let review = draft.reviewOn, review < draft.from {
            throw FeatureError(.invalidInput, "the review date (\(review)) is before the first day (\(draft.from))", field: "/reviewOn")
        }
        let terms = try Input.optionalText(draft.terminationTerms, field: "/terminationTerms", maxLength: 4000)
        let check = try Input.optionalText(draft.procurementCheck, field: "/procurementCheck", maxLength: 4000)
        let parties = try checkParties(draft.partyIds, kind: draft.kind, from: draft.from, reach: reach, in: tx)
        if let initiator = draft.initiatedById, !parties.contains(where: { $0.organisationId == initiator }) {
            throw FeatureError(.invalidInput, "organisation \(initiator) is not one of the parties", field: "/initiatedById")
        }
        var grantYear: Int? = nil
        var applied: Decimal? = nil
        if draft.kind.isGrant {
            grantYear = try Input.number(draft.grantYear ?? draft.from.year, field: "/grantYear", in: 1900...2200)
            guard let amount = draft.appliedAmount else {
                throw FeatureError(.invalidInput, "a grant application needs the amount applied for", field: "/appliedAmount")
            }
            applied = try Amount.check(amount, field: "/appliedAmount")
        } else {
            if draft.appliedAmount != nil {
                throw FeatureError(.invalidInput, "only an association grant has an amount applied for", field: "/appliedAmount")
            }
            if draft.grantYear != nil { throw FeatureError(.invalidInput, "only an association grant has a grant year", field: "/grantYear") }
        }
        let contributions = try (draft.contributions ?? []).enumerated().map { index, contribution in
            try checkContribution(contribution, parties: parties, field: "/contributions/\(index)")
        }
        let checkedOn: LocalDate? = check == nil ? nil : .today()
        let caseworker =
            try staff.responsible(draft.caseworkerUserId, role: .officer, field: "/caseworkerUserId", in: tx)
            ?? staff.caller(actor, ifRole: .officer, in: tx)
        let id: Int = try tx.query(
            """
            INSERT INTO partnerships.agreements
                (kind, case_number, title, purpose, state, from_date, to_date, review_on, termination_terms, initiated_by, procurement_check,
                 procurement_checked_on, grant_year, applied_amount, caseworker_user_id)
            VALUES (\(draft.kind), \(caseNumber), \(title), \(purpose), \(draft.kind.initialState), \(draft.from), \(draft.to), \(draft.reviewOn), \(terms), \(draft.initiatedById),
                    \(check), \(checkedOn), \(grantYear), \(applied), \(caseworker))
            RETURNING id
            """
        ).single().decode("id")
        for party in parties {
            try tx.execute(
                "INSERT INTO partnerships.parties (agreement_id, organisation_id, side) VALUES (\(id), \(party.organisationId), \(party.side))"
            )
        }
        for contribution in contributions { try insert(contribution, agreement: id, in: tx) }
        let agreement = try self.agreement(id: id, reach: .everything, in: tx)
        try tx.audit(actor, feature: Self.feature, entity: "agreement", id: id, action: "create", after: agreement)
        return agreement
    }

    /// Names the caseworker who answers for an agreement or grant and gets its reminders, or nobody.
    ///
    /// - Throws: ``FeatureError`` `.invalidInput` at `/caseworkerUserId` for a user who is not an
    ///   active caseworker (`officer`); `.notFound` outside the caller's reach.
    func setResponsible(ofAgreement id: Int, _ change: AgreementResponsible, reach: Reach, actor: Actor, in tx: Transaction) throws -> Agreement {
        let before = try lockedAgreement(id: id, reach: reach, in: tx)
        try staff.responsible(change.caseworkerUserId, role: .officer, field: "/caseworkerUserId", in: tx)
        try tx.execute("UPDATE partnerships.agreements SET caseworker_user_id = \(change.caseworkerUserId), updated_at = now() WHERE id = \(id)")
        let after = try agreement(id: id, reach: .everything, in: tx)
        try tx.audit(actor, feature: Self.feature, entity: "agreement", id: id, action: "responsible", before: before, after: after)
        return after
    }

    /// Adds a contribution to an agreement that has not ended.
    ///
    /// - Throws: ``FeatureError`` `.invalidInput` naming the field; `.conflict` once it has ended.
    func addContribution(_ draft: ContributionDraft, toAgreement id: Int, reach: Reach, actor: Actor, in tx: Transaction) throws -> Agreement {
        let before = try lockedAgreement(id: id, reach: reach, in: tx)
        guard !before.state.isEnded else {
            throw FeatureError(.conflict, "agreement \(id) is \(before.state.rawValue); it takes no more contributions", field: "/state")
        }
        let contribution = try checkContribution(draft, parties: before.parties, field: "")
        try insert(contribution, agreement: id, in: tx)
        let after = try agreement(id: id, reach: .everything, in: tx)
        try tx.audit(actor, feature: Self.feature, entity: "agreement", id: id, action: "contribution.add", before: before, after: after)
        return after
    }

    /// Records the procurement / state-aid check of an agreement before it is signed (rule 19).
    ///
    /// - Throws: ``FeatureError`` `.invalidInput` for an empty finding; `.conflict` after signing.
    func recordProcurementCheck(
        _ check: ProcurementCheck,
        agreement id: Int,
        today: LocalDate,
        reach: Reach,
        actor: Actor,
        in tx: Transaction
    ) throws
        -> Agreement
    {
        let before = try lockedAgreement(id: id, reach: reach, in: tx)
        guard before.state == .draft || before.state == .legalCheck else {
            throw FeatureError(.conflict, "agreement \(id) is \(before.state.rawValue); the check is recorded before signing", field: "/state")
        }
        let finding = try Input.text(check.finding, field: "/finding", maxLength: 4000)
        try tx.execute(
            """
            UPDATE partnerships.agreements SET procurement_check = \(finding), procurement_checked_on = \(check.on ?? today), updated_at = now()
            WHERE id = \(id)
            """
        )
        let after = try agreement(id: id, reach: .everything, in: tx)
        try tx.audit(actor, feature: Self.feature, entity: "agreement", id: id, action: "procurementCheck", before: before, after: after)
        return after
    }

    /// The agreement, locked for the rest of the transaction.
    func lockedAgreement(id: Int, reach: Reach, in tx: Transaction) throws -> Agreement {
        guard try tx.queryFirst("SELECT a.id FROM partnerships.agreements a WHERE a.id = \(id) AND \(Self.allows(reach)) FOR UPDATE") != nil
        else { throw FeatureError.notFound("agreement", id: id) }
        return try agreement(id: id, reach: .everything, in: tx)
    }

    /// The parties of a new agreement, each a known organisation within reach, with its side;
    /// an IOP needs a public and an idea-based party, a grant a public grantor and exactly one
    /// idea-based recipient, any other agreement two parties.
    func checkParties(_ ids: [Int], kind: AgreementKind, from: LocalDate, reach: Reach, in tx: Transaction) throws -> [Party] {
        var parties: [Party] = []
        for (index, id) in ids.enumerated() {
            let field = "/partyIds/\(index)"
            guard !parties.contains(where: { $0.organisationId == id }) else {
                throw FeatureError(.invalidInput, "organisation \(id) is named twice", field: field)
            }
            let organisation = try registry.referencedOrganisation(id, field: field, reach: reach, in: tx)
            // An agreement from before a party was wound up (history) is fine; a new one is not.
            if organisation.state == .woundUp, organisation.woundUpOn.map({ $0 < from }) ?? true {
                throw FeatureError(.invalidInput, "\(organisation.name) (\(id)) was wound up before \(from)", field: field)
            }
            parties.append(Party(organisationId: id, side: organisation.kind == .publicBody ? .public : .ideaBased))
        }
        let publicCount = parties.filter { $0.side == .public }.count
        let ideaBased = parties.count - publicCount
        switch kind {
        case .iop where publicCount == 0 || ideaBased == 0:
            throw FeatureError(.invalidInput, "an IOP needs at least one public body and one idea-based party", field: "/partyIds")
        case .associationGrant where publicCount == 0 || ideaBased != 1:
            throw FeatureError(.invalidInput, "a grant needs a public grantor and exactly one idea-based recipient", field: "/partyIds")
        case .frameworkAgreement, .supervisionContract, .iop, .associationGrant:
            guard parties.count >= 2 else { throw FeatureError(.invalidInput, "an agreement needs at least two parties", field: "/partyIds") }
        }
        return parties
    }

    /// A contribution of one of the parties: an amount (≥ 0, two decimals), a year, and a
    /// description when given in kind.
    func checkContribution(_ draft: ContributionDraft, parties: [Party], field: String) throws(FeatureError) -> ContributionDraft {
        guard parties.contains(where: { $0.organisationId == draft.organisationId }) else {
            throw FeatureError(
                .invalidInput,
                "organisation \(draft.organisationId) is not a party to the agreement",
                field: field + "/organisationId"
            )
        }
        _ = try Input.number(draft.year, field: field + "/year", in: 1900...2200)
        var checked = draft
        checked.amount = try Amount.check(draft.amount, field: field + "/amount")
        checked.description = try Input.optionalText(draft.description, field: field + "/description", maxLength: 1000)
        if draft.form == .inKind && checked.description == nil {
            throw FeatureError(.invalidInput, "a contribution in kind needs a description of what is given", field: field + "/description")
        }
        return checked
    }

    func insert(_ contribution: ContributionDraft, agreement id: Int, in tx: Transaction) throws {
        try tx.execute(
            """
            INSERT INTO partnerships.contributions (agreement_id, organisation_id, year, form, amount, description)
            VALUES (\(id), \(contribution.organisationId), \(contribution.year), \(contribution.form), \(contribution.amount),
                    \(contribution.description))
            """
        )
    }
}
