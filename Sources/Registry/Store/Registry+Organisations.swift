public import DataAccess
public import FeatureSupport
import Foundation
public import PluginKit

extension Registry {
    // MARK: - Reading

    /// The organisation with `id`, if it is within `reach`.
    ///
    /// - Throws: ``FeatureError`` `.notFound` when it does not exist or is outside reach (the two
    ///   answer alike); ``DatabaseError``.
    public func organisation(id: Int, reach: Reach, in executor: some SQLExecutor) throws -> Organisation {
        guard
            let row = try executor.queryFirst(
                "SELECT \(Organisation.columns) FROM registry.organisations o WHERE o.id = \(id) AND \(reach.allowsOrganisation("o.id"))"
            )
        else { throw FeatureError.notFound("organisation", id: id) }
        return try Organisation(row: row)
    }

    /// Organisations within `reach` matching `query`, ordered by name, one page.
    public func organisations(
        matching query: OrganisationQuery,
        page: PageRequest,
        reach: Reach,
        in executor: some SQLExecutor
    ) throws -> Page<
        Organisation
    > {
        var conditions: [SQL] = [reach.allowsOrganisation("o.id")]
        if let text = query.text, !text.isEmpty {
            conditions.append(SQL("o.search_name LIKE \(SearchText.containsPattern(text))").plannedForEachRun())
        }
        if let number = query.organisationNumber {
            let parsed = try Self.organisationNumber(number, field: "organisationNumber")
            conditions.append("o.organisation_number = \(parsed.digits)")
        }
        if let kind = query.kind { conditions.append("o.kind = \(kind)") }
        if let state = query.state { conditions.append("o.state = \(state)") }
        if let after = page.afterID {
            conditions.append(
                // Within reach, so a cursor of an organisation out of reach continues nowhere.
                "(\(SQL.swedish("o.name")), o.id) > (SELECT c.name, c.id FROM registry.organisations c WHERE c.id = \(after) AND \(reach.allowsOrganisation("c.id")))"
            )
        }
        let rows = try executor.query(
            """
            SELECT \(Organisation.columns) FROM registry.organisations o
            WHERE \(SQL.joined(conditions, separator: " AND "))
            ORDER BY \(SQL.swedish("o.name")), o.id LIMIT \(page.limit + 1)
            """
        )
        return page.page(try rows.map(Organisation.init(row:)), id: \.id)
    }

    // MARK: - Writing

    /// Registers an organisation.
    ///
    /// - Throws: ``FeatureError`` `.invalidInput` naming the field, `.conflict` for a taken
    ///   organisation number; ``DatabaseError``.
    public func createOrganisation(_ draft: OrganisationDraft, actor: Actor, in tx: Transaction) throws -> Organisation {
        let name = try Input.text(draft.name, field: "/name")
        let number = try draft.organisationNumber.flatMap { try Input.optionalText($0, field: "/organisationNumber") }
            .map { try Self.organisationNumber($0, field: "/organisationNumber") }
        let contact = try Self.validated(draft.contact ?? ContactDetails())
        let state = draft.state ?? .prospect
        guard state != .woundUp else {
            throw FeatureError(.invalidInput, "a new organisation is a prospect or active; wind it up afterwards", field: "/state")
        }
        try Self.validate(draft.asf)
        if let number { try requireFreeOrganisationNumber(number, except: nil, in: tx) }
        let row = try tx.query(
            """
            INSERT INTO registry.organisations AS o (name, search_name, organisation_number, legal_form, kind, state, asf, email, phone, address)
            VALUES (\(name), \(SearchText.fold(name)), \(number?.digits), \(draft.legalForm), \(draft.kind), \(state),
                    \(draft.asf.map { JSONB($0) }), \(contact.email), \(contact.phone), \(contact.address))
            RETURNING \(Organisation.columns)
            """
        ).single()
        let organisation = try Organisation(row: row)
        try tx.audit(actor, feature: Self.feature, entity: "organisation", id: organisation.id, action: "create", after: organisation)
        return organisation
    }

    /// Changes an organisation's details.
    ///
    /// - Throws: ``FeatureError`` `.notFound` outside reach, `.invalidInput` naming the field,
    ///   `.conflict` for a taken organisation number; ``DatabaseError``.
    public func updateOrganisation(id: Int, _ patch: OrganisationPatch, reach: Reach, actor: Actor, in tx: Transaction) throws -> Organisation {
        let before = try lockedOrganisation(id: id, reach: reach, in: tx)
        var after = before
        if let name = patch.name { after.name = try Input.text(name, field: "/name") }
        if let number = patch.organisationNumber {
            let parsed = try Self.organisationNumber(number, field: "/organisationNumber")
            if parsed != before.organisationNumber { try requireFreeOrganisationNumber(parsed, except: id, in: tx) }
            after.organisationNumber = parsed
        }
        if let legalForm = patch.legalForm { after.legalForm = legalForm }
        if let kind = patch.kind { after.kind = kind }
        if let asf = patch.asf {
            try Self.validate(asf)
            after.asf = asf
        }
        if let contact = patch.contact { after.contact = try Self.validated(contact) }
        guard after.auditFields != before.auditFields else { return before }
        let row = try tx.query(
            """
            UPDATE registry.organisations o SET name = \(after.name), search_name = \(SearchText.fold(after.name)),
                organisation_number = \(after.organisationNumber?.digits), legal_form = \(after.legalForm), kind = \(after.kind),
                asf = \(after.asf.map { JSONB($0) }), email = \(after.contact.email), phone = \(after.contact.phone),
                address = \(after.contact.address), updated_at = now()
            WHERE o.id = \(id)
            RETURNING \(Organisation.columns)
            """
        ).single()
        let updated = try Organisation(row: row)
        try tx.audit(actor, feature: Self.feature, entity: "organisation", id: id, action: "update", before: before, after: updated)
        return updated
    }

    /// Moves an organisation along prospect → active → wound up; winding up needs a day and a
    /// reason and publishes `registry.organisationWoundUp`.
    ///
    /// - Throws: ``FeatureError`` `.conflict` for a transition the state machine does not allow,
    ///   `.invalidInput` for a missing day or reason, `.notFound` outside reach.
    public func changeState(
        ofOrganisation id: Int,
        _ change: OrganisationStateChange,
        today: LocalDate,
        reach: Reach,
        actor: Actor,
        in tx: Transaction
    ) throws -> Organisation {
        let before = try lockedOrganisation(id: id, reach: reach, in: tx)
        guard before.state.allowedNext.contains(change.state) else {
            let allowed = before.state.allowedNext.map(\.rawValue).sorted()
            throw FeatureError(
                .conflict,
                "an organisation in state \(before.state.rawValue) cannot become \(change.state.rawValue)"
                    + (allowed.isEmpty ? "; it is final" : "; allowed: \(allowed.joined(separator: ", "))"),
                field: "/state"
            )
        }
        var woundUpOn: LocalDate?
        var reason: String?
        if change.state == .woundUp {
            guard let day = change.on else { throw FeatureError(.invalidInput, "winding up needs the day it happened", field: "/on") }
            guard day <= today else { throw FeatureError(.invalidInput, "the day of winding up cannot be in the future", field: "/on") }
            woundUpOn = day
            reason = try Input.text(change.reason ?? "", field: "/reason", maxLength: 1000)
        }
        let row = try tx.query(
            """
            UPDATE registry.organisations o SET state = \(change.state), wound_up_on = \(woundUpOn), wound_up_reason = \(reason), updated_at = now()
            WHERE o.id = \(id)
            RETURNING \(Organisation.columns)
            """
        ).single()
        let updated = try Organisation(row: row)
        try tx.audit(
            actor,
            feature: Self.feature,
            entity: "organisation",
            id: id,
            action: "state.\(change.state.rawValue)",
            before: before,
            after: updated
        )
        if let woundUpOn, let reason {
            try events.publish(OrganisationWoundUp(organisationId: id, woundUpOn: woundUpOn, reason: reason), in: tx)
        }
        return updated
    }

    // MARK: - Helpers

    func lockedOrganisation(id: Int, reach: Reach, in tx: Transaction) throws -> Organisation {
        guard
            let row = try tx.queryFirst(
                "SELECT \(Organisation.columns) FROM registry.organisations o WHERE o.id = \(id) AND \(reach.allowsOrganisation("o.id")) FOR UPDATE"
            )
        else { throw FeatureError.notFound("organisation", id: id) }
        return try Organisation(row: row)
    }

    func requireFreeOrganisationNumber(_ number: OrganisationNumber, except id: Int?, in tx: Transaction) throws {
        let taken = try tx.queryFirst(
            "SELECT id FROM registry.organisations WHERE organisation_number = \(number.digits) AND id IS DISTINCT FROM \(id)"
        )
        if taken != nil {
            throw FeatureError(
                .conflict,
                "another organisation already has the organisation number \(number)",
                field: "/organisationNumber",
                wording: Wording("organisationNumberTaken", ["number": "\(number)"])
            )
        }
    }

    static func organisationNumber(_ text: String, field: String) throws(FeatureError) -> OrganisationNumber {
        do {
            return try OrganisationNumber(parsing: text)
        } catch {
            throw FeatureError(.invalidInput, error.message, field: field, cause: error, wording: error.wording)
        }
    }

    static func validate(_ asf: ASFCriteria?) throws(FeatureError) {
        guard let asf else { return }
        for (wage, field) in [(asf.highestMonthlyWage, "asf/highestMonthlyWage"), (asf.lowestMonthlyWage, "asf/lowestMonthlyWage")] {
            if let wage { _ = try Input.number(wage, field: field, in: 0...10_000_000) }
        }
        if let highest = asf.highestMonthlyWage, let lowest = asf.lowestMonthlyWage, highest < lowest {
            throw FeatureError(.invalidInput, "the highest wage is lower than the lowest", field: "/asf/highestMonthlyWage", wording: "wagesReversed")
        }
    }

    static func validated(_ contact: ContactDetails) throws(FeatureError) -> ContactDetails {
        let email = try Input.optionalText(contact.email, field: "/contact/email", maxLength: 200)
        if let email, !email.contains("@") || email.contains(" ") {
            throw FeatureError(.invalidInput, "is not an e-mail address", field: "/contact/email", wording: "notEmail")
        }
        let phone = try Input.optionalText(contact.phone, field: "/contact/phone", maxLength: 40)
        if let phone, !phone.allSatisfy({ $0.isNumber || "+-() ".contains($0) }) {
            throw FeatureError(.invalidInput, "may hold only digits, spaces and + - ( )", field: "/contact/phone", wording: "notPhone")
        }
        let address = try Input.optionalText(contact.address, field: "/contact/address", maxLength: 300)
        return ContactDetails(email: email, phone: phone, address: address)
    }
}

/// What to look for among organisations.
public struct OrganisationQuery: Sendable, Hashable {
    /// Part of the name (case and accents ignored).
    public var text: String?
    /// The organisation number.
    public var organisationNumber: String?
    /// Only this kind.
    public var kind: OrganisationKind?
    /// Only this state.
    public var state: OrganisationState?

    /// Creates a query; all parts optional.
    public init(text: String? = nil, organisationNumber: String? = nil, kind: OrganisationKind? = nil, state: OrganisationState? = nil) {
        self.text = text
        self.organisationNumber = organisationNumber
        self.kind = kind
        self.state = state
    }
}

extension Organisation {
    /// The columns `Organisation(row:)` reads, from the alias `o`.
    static let columns: SQL = """
        o.id, o.name, o.organisation_number, o.legal_form, o.kind, o.state, o.wound_up_on, o.wound_up_reason, o.asf, o.email, o.phone,
        o.address, o.created_at, o.updated_at
        """

    init(row: Row) throws {
        let number = try row.decode("organisation_number", as: String?.self)
        self.init(
            id: try row.decode("id"),
            name: try row.decode("name"),
            organisationNumber: try number.map { try OrganisationNumber(parsing: $0) },
            legalForm: try row.decode("legal_form"),
            kind: try row.decode("kind"),
            state: try row.decode("state"),
            woundUpOn: try row.decode("wound_up_on"),
            woundUpReason: try row.decode("wound_up_reason"),
            asf: try row.decode("asf", as: JSONB<ASFCriteria>?.self)?.value,
            contact: ContactDetails(email: try row.decode("email"), phone: try row.decode("phone"), address: try row.decode("address")),
            createdAt: try row.decode("created_at"),
            updatedAt: try row.decode("updated_at")
        )
    }
}

extension OrganisationKind: SQLEncodable, SQLDecodable {}
extension LegalForm: SQLEncodable, SQLDecodable {}
extension OrganisationState: SQLEncodable, SQLDecodable {}
