import DataAccess
import FeatureSupport
import Foundation
import PluginKit
import Registry

extension PartnershipStore {
    /// Moves an agreement or grant along its lifecycle, recording who, when and why, audited.
    ///
    /// Signing an IOP needs a contribution from a public and an idea-based party and the
    /// procurement / state-aid check (rule 19). Granting needs the amount granted (the report is
    /// due by 31 March of the following year unless the decision says otherwise, rule 20);
    /// `paid` a payment made; `approved` a report; `repaymentClaimed` an amount and a reason.
    ///
    /// - Throws: ``FeatureError`` `.conflict` naming `/state` for a change the lifecycle forbids;
    ///   `.invalidInput` naming the field a rule needs.
    func changeState(
        ofAgreement id: Int,
        _ change: AgreementStateChange,
        today: LocalDate,
        reach: Reach,
        actor: Actor,
        in tx: Transaction
    ) throws
        -> Agreement
    {
        let before = try lockedAgreement(id: id, reach: reach, in: tx)
        guard before.state.allowedNext.contains(change.state) else {
            let allowed = before.state.allowedNext.map(\.rawValue).joined(separator: ", ")
            throw FeatureError(
                .conflict,
                "\(before.kind.rawValue) \(id) is \(before.state.rawValue) and cannot become \(change.state.rawValue); it can become: \(allowed.isEmpty ? "nothing (it has ended)" : allowed)",
                field: "/state",
                // A grant's text says "bidraget", an agreement's "avtalet".
                wording: before.kind.isGrant ? "grantStateNotAllowed" : "stateNotAllowed"
            )
        }
        let day = change.on ?? today
        let comment = try Input.optionalText(change.comment, field: "/comment", maxLength: 2000)
        switch change.state {
        case .signed:
            try checkSignable(before)
        case .granted:
            guard let amount = change.grantedAmount else {
                throw FeatureError(
                    .invalidInput,
                    "a decision to grant needs the amount granted",
                    field: "/grantedAmount",
                    wording: "grantNeedsAmount"
                )
            }
            let granted = try Amount.check(amount, field: "/grantedAmount")
            let conditions = try Input.optionalText(change.conditions, field: "/conditions", maxLength: 4000)
            let year = before.grantYear ?? before.from.year
            let due = change.reportDueOn ?? LocalDate.lastDay(ofMonth: 3, in: year + 1)
            if due < day {
                throw FeatureError(
                    .invalidInput,
                    "the report due date (\(due)) is before the decision (\(day))",
                    field: "/reportDueOn",
                    wording: Wording("reportBeforeDecision", ["due": "\(due)", "day": "\(day)"])
                )
            }
            try tx.execute(
                """
                UPDATE partnerships.agreements SET granted_amount = \(granted), conditions = \(conditions), decided_on = \(day),
                    report_due_on = \(due) WHERE id = \(id)
                """
            )
        case .rejected:
            try tx.execute("UPDATE partnerships.agreements SET granted_amount = 0, decided_on = \(day) WHERE id = \(id)")
        case .paid:
            let made = try tx.query("SELECT count(*) AS n FROM partnerships.payments WHERE agreement_id = \(id) AND paid_on IS NOT NULL").single()
            guard try made.decode("n", as: Int.self) > 0 else {
                throw FeatureError(
                    .invalidInput,
                    "grant \(id) has no payment made yet; record one first",
                    field: "/payments",
                    wording: "noPaymentYet"
                )
            }
        case .approved:
            guard try tx.queryFirst("SELECT 1 FROM partnerships.reports WHERE agreement_id = \(id)") != nil else {
                throw FeatureError(
                    .invalidInput,
                    "grant \(id) has no follow-up report to approve; submit one first",
                    field: "/report",
                    wording: "noReportYet"
                )
            }
        case .repaymentClaimed:
            guard let amount = change.amount else {
                throw FeatureError(.invalidInput, "a repayment claim needs the amount to repay", field: "/amount", wording: "claimNeedsAmount")
            }
            let claimed = try Amount.check(amount, field: "/amount", positive: true)
            let paid = try paidAmount(of: id, in: tx)
            guard claimed <= paid else {
                throw FeatureError(
                    .invalidInput,
                    "the claim (\(claimed)) is more than was paid (\(paid))",
                    field: "/amount",
                    wording: Wording("claimAbovePaid", ["claimed": "\(claimed)", "paid": "\(paid)"])
                )
            }
            guard let reason = try Input.optionalText(change.reason, field: "/reason", maxLength: 2000) else {
                throw FeatureError(
                    .invalidInput,
                    "a repayment claim needs a reason (unused or misused money, no report, broken conditions)",
                    field: "/reason",
                    wording: "claimNeedsReason"
                )
            }
            try tx.execute(
                "INSERT INTO partnerships.repayment_claims (agreement_id, amount, reason, claimed_on) VALUES (\(id), \(claimed), \(reason), \(day))"
            )
        case .repaid:
            let claim = try tx.query("SELECT amount FROM partnerships.repayment_claims WHERE agreement_id = \(id) AND repaid_on IS NULL").single()
            let claimed: Decimal = try claim.decode("amount")
            let repaid = try Amount.check(change.amount ?? claimed, field: "/amount")
            try tx.execute(
                """
                UPDATE partnerships.repayment_claims SET repaid_on = \(day), repaid_amount = \(repaid)
                WHERE agreement_id = \(id) AND repaid_on IS NULL
                """
            )
            try tx.execute("UPDATE partnerships.agreements SET repaid_amount = repaid_amount + \(repaid) WHERE id = \(id)")
        case .renewed:
            try Self.period(from: before.from, to: change.to ?? before.to, field: "/to")
            if let review = change.reviewOn, review < before.from {
                throw FeatureError(
                    .invalidInput,
                    "the review date (\(review)) is before the first day (\(before.from))",
                    field: "/reviewOn",
                    wording: Wording("reviewBeforeStart", ["review": "\(review)", "from": "\(before.from)"])
                )
            }
            try tx.execute(
                """
                UPDATE partnerships.agreements SET to_date = coalesce(\(change.to)::date, to_date), review_on = \(change.reviewOn)
                WHERE id = \(id)
                """
            )
        case .draft, .legalCheck, .active, .evaluated, .terminated, .expired, .applied, .inReview, .reportDue:
            break
        }
        try tx.execute("UPDATE partnerships.agreements SET state = \(change.state), updated_at = now() WHERE id = \(id)")
        try tx.execute(
            """
            INSERT INTO partnerships.transitions (agreement_id, from_state, to_state, on_date, comment, actor)
            VALUES (\(id), \(before.state), \(change.state), \(day), \(comment), \(actor.name))
            """
        )
        // A decision gets a case number (if its case has none) and a letter, kept with its documents.
        let letterKind = Self.letterKind(for: change.state)
        if letterKind != nil, let letters { try numberCase(before, on: day, letters: letters, actor: actor, in: tx) }
        let after = try agreement(id: id, reach: .everything, in: tx)
        if let letterKind, let letters {
            _ = try fileLetter(letterKind, for: after, grounds: comment, on: day, letters: letters, actor: actor, in: tx)
        }
        try tx.audit(
            actor,
            feature: Self.feature,
            entity: "agreement",
            id: id,
            action: "state.\(change.state.rawValue)",
            before: before,
            after: after
        )
        let partyIds = after.parties.map(\.organisationId)
        if change.state == .signed {
            try events.publish(AgreementSigned(agreementId: id, kind: after.kind.rawValue, partyIds: partyIds, signedOn: day), in: tx)
        }
        if change.state.isEnded {
            try events.publish(
                AgreementEnded(
                    agreementId: id,
                    kind: after.kind.rawValue,
                    partyIds: partyIds,
                    state: change.state.rawValue,
                    endedOn: day,
                    comment: comment
                ),
                in: tx
            )
        }
        return after
    }

    /// Rule 19: an IOP is signed only when the idea-based party took the initiative, a public
    /// and an idea-based party contribute (money or in kind) and the procurement / state-aid
    /// check is recorded.
    func checkSignable(_ agreement: Agreement) throws(FeatureError) {
        guard agreement.kind == .iop else { return }
        let contributing = Set(agreement.contributions.map(\.organisationId))
        let sides = Set(agreement.parties.filter { contributing.contains($0.organisationId) }.map(\.side))
        guard sides.count == 2 else {
            let missing = sides.contains(.public) ? "an idea-based party" : sides.contains(.ideaBased) ? "a public party" : "any party"
            throw FeatureError(
                .invalidInput,
                "an IOP is signed only when both parties contribute (money or in kind); there is no contribution from \(missing)",
                field: "/contributions",
                wording: "iopNeedsContributions"
            )
        }
        guard agreement.procurementCheck != nil else {
            throw FeatureError(
                .invalidInput,
                "an IOP is signed only after the procurement / state-aid check is recorded (POST …/procurement-check)",
                field: "/procurementCheck",
                wording: "iopNeedsProcurementCheck"
            )
        }
        let initiator = agreement.parties.first { $0.organisationId == agreement.initiatedById }
        guard initiator?.side == .ideaBased else {
            throw FeatureError(
                .invalidInput,
                "an IOP is signed only when an idea-based party took the initiative; name it in initiatedById",
                field: "/initiatedById",
                wording: "iopNeedsInitiative"
            )
        }
    }

    /// The transitions of an agreement, oldest first.
    func transitions(ofAgreement id: Int, reach: Reach, in executor: some SQLExecutor) throws -> [Transition] {
        _ = try agreement(id: id, reach: reach, in: executor)
        return try executor.query(
            "SELECT id, from_state, to_state, on_date, comment, actor, at FROM partnerships.transitions WHERE agreement_id = \(id) ORDER BY id"
        ).map { row in
            Transition(
                id: try row.decode("id"),
                from: try row.decode("from_state"),
                to: try row.decode("to_state"),
                on: try row.decode("on_date"),
                comment: try row.decode("comment"),
                actor: try row.decode("actor"),
                at: try row.decode("at")
            )
        }
    }
}
