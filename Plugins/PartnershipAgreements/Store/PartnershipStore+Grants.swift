import DataAccess
import FeatureSupport
import Foundation
import PluginKit
import Registry

extension PartnershipStore {
    /// A grant's money: decision, payments planned and made, reports and repayment claims.
    func grantAccount(id: Int, reach: Reach, in executor: some SQLExecutor) throws -> GrantAccount {
        let grant = try agreement(id: id, reach: reach, in: executor)
        guard grant.kind.isGrant else { throw FeatureError(.notFound, "agreement \(id) is a \(grant.kind.rawValue), not a grant") }
        let payments = try executor.query("SELECT \(Payment.columns) FROM partnerships.payments pm WHERE pm.agreement_id = \(id) ORDER BY pm.id")
            .map(Payment.init(row:))
        let reports = try executor.query(
            "SELECT id, submitted_on, summary, used_amount FROM partnerships.reports WHERE agreement_id = \(id) ORDER BY id"
        ).map {
            GrantReport(
                id: try $0.decode("id"),
                submittedOn: try $0.decode("submitted_on"),
                summary: try $0.decode("summary"),
                usedAmount: try $0.decode("used_amount")
            )
        }
        let claims = try executor.query(
            "SELECT id, amount, reason, claimed_on, repaid_on, repaid_amount FROM partnerships.repayment_claims WHERE agreement_id = \(id) ORDER BY id"
        ).map {
            RepaymentClaim(
                id: try $0.decode("id"),
                amount: try $0.decode("amount"),
                reason: try $0.decode("reason"),
                claimedOn: try $0.decode("claimed_on"),
                repaidOn: try $0.decode("repaid_on"),
                repaidAmount: try $0.decode("repaid_amount")
            )
        }
        var account = GrantAccount(
            agreementId: id,
            appliedAmount: grant.appliedAmount,
            grantedAmount: grant.grantedAmount,
            planned: payments.filter { $0.paidOn == nil }.reduce(0) { $0 + $1.amount },
            paid: payments.filter { $0.paidOn != nil }.reduce(0) { $0 + $1.amount },
            repaid: claims.reduce(0) { $0 + ($1.repaidAmount ?? 0) },
            payments: payments,
            reports: reports,
            claims: claims
        )
        account.settleUse(granted: grant.grantedAmount)
        return account
    }

    /// The sum of the payments made of a grant.
    func paidAmount(of id: Int, in executor: some SQLExecutor) throws -> Decimal {
        try executor.query("SELECT coalesce(sum(amount), 0) AS paid FROM partnerships.payments WHERE agreement_id = \(id) AND paid_on IS NOT NULL")
            .single().decode("paid")
    }

    /// Plans or makes a payment of a granted grant; planned and made together never exceed the
    /// amount granted. A payment made publishes `partnerships.grantPaid`.
    ///
    /// - Throws: ``FeatureError`` `.invalidInput` naming `/amount` (negative, over two decimals,
    ///   above what is left of the grant) or the dates; `.conflict` naming `/state` before the
    ///   decision or after the grant is closed.
    func addPayment(_ draft: PaymentDraft, toGrant id: Int, reach: Reach, actor: Actor, in tx: Transaction) throws -> Payment {
        let grant = try lockedAgreement(id: id, reach: reach, in: tx)
        guard grant.kind.isGrant else {
            throw FeatureError(.invalidInput, "agreement \(id) is a \(grant.kind.rawValue); only grants are paid here", field: "/kind")
        }
        guard [.granted, .paid, .reportDue].contains(grant.state), let granted = grant.grantedAmount else {
            throw FeatureError(.conflict, "grant \(id) is \(grant.state.rawValue); payments follow a decision to grant", field: "/state")
        }
        let amount = try Amount.check(draft.amount, field: "/amount", positive: true)
        guard draft.plannedOn != nil || draft.paidOn != nil else {
            throw FeatureError(.invalidInput, "a payment is planned for a day (plannedOn) or made on one (paidOn)", field: "/paidOn")
        }
        if let paidOn = draft.paidOn, let decided = grant.decidedOn, paidOn < decided {
            throw FeatureError(.invalidInput, "the payment (\(paidOn)) is before the decision (\(decided))", field: "/paidOn")
        }
        let note = try Input.optionalText(draft.note, field: "/note", maxLength: 1000)
        let booked: Decimal = try tx.query("SELECT coalesce(sum(amount), 0) AS s FROM partnerships.payments WHERE agreement_id = \(id)").single()
            .decode("s")
        guard booked + amount <= granted else {
            throw FeatureError(
                .invalidInput,
                "\(amount) is more than is left of the grant: \(granted) granted, \(booked) already planned or paid",
                field: "/amount"
            )
        }
        let row = try tx.query(
            """
            INSERT INTO partnerships.payments AS pm (agreement_id, amount, planned_on, paid_on, note)
            VALUES (\(id), \(amount), \(draft.plannedOn), \(draft.paidOn), \(note)) RETURNING \(Payment.columns)
            """
        ).single()
        let payment = try Payment(row: row)
        try tx.audit(actor, feature: Self.feature, entity: "payment", id: payment.id, action: "create", after: payment)
        if payment.paidOn != nil { try paid(payment, grant: grant, in: tx) }
        return payment
    }

    /// Marks a planned payment as made.
    ///
    /// - Throws: ``FeatureError`` `.notFound` outside reach; `.conflict` when it was already made
    ///   or the grant is closed.
    func markPaid(payment paymentID: Int, on day: LocalDate, reach: Reach, actor: Actor, in tx: Transaction) throws -> Payment {
        guard let owner = try tx.queryFirst("SELECT agreement_id FROM partnerships.payments WHERE id = \(paymentID)") else {
            throw FeatureError.notFound("payment", id: paymentID)
        }
        let grant: Agreement
        do {
            grant = try lockedAgreement(id: try owner.decode("agreement_id"), reach: reach, in: tx)
        } catch let error as FeatureError where error.code == .notFound {
            throw FeatureError.notFound("payment", id: paymentID)
        }
        let before = try Payment(
            row: try tx.query("SELECT \(Payment.columns) FROM partnerships.payments pm WHERE pm.id = \(paymentID) FOR UPDATE").single()
        )
        if let made = before.paidOn { throw FeatureError(.conflict, "payment \(paymentID) was made on \(made)", field: "/paidOn") }
        guard [.granted, .paid, .reportDue].contains(grant.state) else {
            throw FeatureError(.conflict, "grant \(grant.id) is \(grant.state.rawValue); it is not paid any more", field: "/state")
        }
        if let decided = grant.decidedOn, day < decided {
            throw FeatureError(.invalidInput, "the payment (\(day)) is before the decision (\(decided))", field: "/paidOn")
        }
        let after = try Payment(
            row: try tx.query("UPDATE partnerships.payments pm SET paid_on = \(day) WHERE pm.id = \(paymentID) RETURNING \(Payment.columns)").single()
        )
        try tx.audit(actor, feature: Self.feature, entity: "payment", id: paymentID, action: "paid", before: before, after: after)
        try paid(after, grant: grant, in: tx)
        return after
    }

    func paid(_ payment: Payment, grant: Agreement, in tx: Transaction) throws {
        try tx.execute("UPDATE partnerships.agreements SET paid_amount = paid_amount + \(payment.amount), updated_at = now() WHERE id = \(grant.id)")
        let recipient = grant.parties.first { $0.side == .ideaBased }?.organisationId ?? 0
        try events.publish(
            GrantPaid(agreementId: grant.id, paymentId: payment.id, recipientId: recipient, amount: payment.amount, paidOn: payment.paidOn!),
            in: tx
        )
    }

    /// Records a grant's follow-up report, with the amount used; only a paid grant reports.
    ///
    /// - Throws: ``FeatureError`` `.conflict` naming `/state` before the grant is paid;
    ///   `.invalidInput` for an empty summary, or naming `/usedAmount` for an amount that is not
    ///   one or is more than was granted.
    func submitReport(_ report: GrantReport, forGrant id: Int, reach: Reach, actor: Actor, in tx: Transaction) throws -> GrantReport {
        let grant = try lockedAgreement(id: id, reach: reach, in: tx)
        guard grant.kind.isGrant else {
            throw FeatureError(.invalidInput, "agreement \(id) is a \(grant.kind.rawValue); only grants report here", field: "/kind")
        }
        guard grant.state == .paid || grant.state == .reportDue else {
            throw FeatureError(
                .conflict,
                "grant \(id) is \(grant.state.rawValue); a follow-up report comes after the grant is paid",
                field: "/state"
            )
        }
        let summary = try Input.text(report.summary, field: "/summary", maxLength: 8000)
        let used = try report.usedAmount.map { try Amount.check($0, field: "/usedAmount") }
        if let used, let granted = grant.grantedAmount, used > granted {
            throw FeatureError(
                .invalidInput,
                "\(used) used is more than the \(granted) granted",
                field: "/usedAmount",
                wording: Wording("usedAboveGranted", ["used": "\(used)", "granted": "\(granted)"])
            )
        }
        let reportID: Int = try tx.query(
            """
            INSERT INTO partnerships.reports (agreement_id, submitted_on, summary, used_amount)
            VALUES (\(id), \(report.submittedOn), \(summary), \(used)) RETURNING id
            """
        ).single().decode("id")
        let stored = GrantReport(id: reportID, submittedOn: report.submittedOn, summary: summary, usedAmount: used)
        try tx.audit(actor, feature: Self.feature, entity: "report", id: reportID, action: "create", after: stored)
        return stored
    }
}

extension Payment: Auditable {
    var auditFields: [String: JSONValue] {
        [
            "agreementId": .int(agreementId), "amount": JSONValue(describing: amount), "plannedOn": JSONValue(describing: plannedOn),
            "paidOn": JSONValue(describing: paidOn), "note": JSONValue(note),
        ]
    }
}

extension GrantReport: Auditable {
    var auditFields: [String: JSONValue] {
        ["submittedOn": JSONValue(describing: submittedOn), "summary": .string(summary), "usedAmount": JSONValue(describing: usedAmount)]
    }
}
