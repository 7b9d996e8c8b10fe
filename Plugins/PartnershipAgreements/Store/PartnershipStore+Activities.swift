import DataAccess
import FeatureSupport
import Foundation
import PluginKit
import Registry

extension PartnershipStore {
    /// The action plan of a framework agreement, in the order the activities were added.
    func activities(ofAgreement id: Int, reach: Reach, in executor: some SQLExecutor) throws -> [Activity] {
        _ = try agreement(id: id, reach: reach, in: executor)
        return try executor.query("SELECT \(Activity.columns) FROM partnerships.activities ac WHERE ac.agreement_id = \(id) ORDER BY ac.id")
            .map(Activity.init(row:))
    }

    /// Adds an activity to a framework agreement's action plan.
    ///
    /// - Throws: ``FeatureError`` `.invalidInput` naming the field; `.conflict` for another kind
    ///   of agreement or one that has ended.
    func addActivity(_ draft: ActivityDraft, toAgreement id: Int, reach: Reach, actor: Actor, in tx: Transaction) throws -> Activity {
        let agreement = try lockedAgreement(id: id, reach: reach, in: tx)
        guard agreement.kind == .frameworkAgreement else {
            throw FeatureError(
                .conflict,
                "agreement \(id) is a \(agreement.kind.rawValue); only a framework agreement has an action plan",
                field: "/kind"
            )
        }
        guard !agreement.state.isEnded else {
            throw FeatureError(.conflict, "agreement \(id) is \(agreement.state.rawValue); its action plan is closed", field: "/state")
        }
        let what = try Input.text(draft.what, field: "/what", maxLength: 1000)
        let how = try Input.optionalText(draft.how, field: "/how", maxLength: 2000)
        let who = try Input.optionalText(draft.who, field: "/who", maxLength: 500)
        let when = try Input.optionalText(draft.when, field: "/when", maxLength: 200)
        let financing = try Input.optionalText(draft.financing, field: "/financing", maxLength: 1000)
        let outcome = try Input.optionalText(draft.outcome, field: "/outcome", maxLength: 4000)
        let row = try tx.query(
            """
            INSERT INTO partnerships.activities AS ac (agreement_id, what, how, who, when_text, due_on, financing, status, outcome)
            VALUES (\(id), \(what), \(how), \(who), \(when), \(draft.dueOn), \(financing), \(draft.status ?? .planned), \(outcome))
            RETURNING \(Activity.columns)
            """
        ).single()
        let activity = try Activity(row: row)
        try tx.audit(actor, feature: Self.feature, entity: "activity", id: activity.id, action: "create", after: activity)
        return activity
    }

    /// Sets an activity's status and outcome.
    ///
    /// - Throws: ``FeatureError`` `.notFound` outside reach; `.invalidInput` for a bad outcome.
    func updateActivity(id: Int, _ update: ActivityUpdate, reach: Reach, actor: Actor, in tx: Transaction) throws -> Activity {
        guard
            let row = try tx.queryFirst(
                """
                SELECT \(Activity.columns) FROM partnerships.activities ac JOIN partnerships.agreements a ON a.id = ac.agreement_id
                WHERE ac.id = \(id) AND \(Self.allows(reach)) FOR UPDATE OF ac
                """
            )
        else { throw FeatureError.notFound("activity", id: id) }
        let before = try Activity(row: row)
        let outcome = try Input.optionalText(update.outcome, field: "/outcome", maxLength: 4000) ?? before.outcome
        let after = try Activity(
            row: try tx.query(
                """
                UPDATE partnerships.activities ac SET status = \(update.status), outcome = \(outcome), updated_at = now()
                WHERE ac.id = \(id) RETURNING \(Activity.columns)
                """
            ).single()
        )
        try tx.audit(actor, feature: Self.feature, entity: "activity", id: id, action: "update", before: before, after: after)
        return after
    }
}

extension Activity: Auditable {
    var auditFields: [String: JSONValue] {
        [
            "agreementId": .int(agreementId), "what": .string(what), "how": JSONValue(how), "who": JSONValue(who), "when": JSONValue(when),
            "dueOn": JSONValue(describing: dueOn), "financing": JSONValue(financing), "status": .string(status.rawValue),
            "outcome": JSONValue(outcome),
        ]
    }
}
