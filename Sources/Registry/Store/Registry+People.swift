public import DataAccess
public import FeatureSupport
import Foundation
public import PluginKit

extension Registry {
    // MARK: - Reading

    /// The person with `id`, if within `reach`.
    ///
    /// - Throws: ``FeatureError`` `.notFound` when the person does not exist or is outside reach.
    public func person(id: Int, reach: Reach, in executor: some SQLExecutor) throws -> Person {
        guard
            let row = try executor.queryFirst(
                "SELECT \(Person.columns) FROM registry.people p WHERE p.id = \(id) AND \(reach.allowsPerson("p.id"))"
            )
        else { throw FeatureError.notFound("person", id: id) }
        return try Person(row: row)
    }

    /// People within `reach` matching `query`, ordered by name, one page. An identity number is
    /// found through its keyed hash, without decrypting anything.
    ///
    /// - Throws: ``FeatureError`` `.invalidInput` for an invalid identity number in the query.
    public func people(
        matching query: PersonQuery,
        page: PageRequest,
        reach: Reach,
        today: LocalDate,
        in executor: some SQLExecutor
    ) throws
        -> Page<Person>
    {
        let number = try query.identityNumber.map { try Self.identityNumber($0, expecting: nil, today: today, field: "/identityNumber") }
        // The filters on the person with alias `alias`: reach, identity number, organisation.
        func conditions(_ alias: String) -> [SQL] {
            let a = SQL(stringLiteral: alias)
            var conditions: [SQL] = [reach.allowsPerson("\(a).id")]
            if let number { conditions.append("\(a).identity_hash = \(vault.blindIndex(number))") }
            if let organisationID = query.organisationId {
                conditions.append("EXISTS (SELECT 1 FROM registry.roles q WHERE q.person_id = \(a).id AND q.organisation_id = \(organisationID))")
            }
            return conditions
        }
        func after(_ alias: String) -> SQL {
            guard let id = page.afterID else { return "TRUE" }
            let a = SQL(stringLiteral: alias)
            // The cursor's row is looked up within reach: a cursor of a person out of reach
            // continues nowhere, so paging cannot tell such a person's name by bisection.
            return
                "(\(SQL.swedish("\(a).name")), \(a).id) > (SELECT c.name, c.id FROM registry.people c WHERE c.id = \(id) AND \(reach.allowsPerson("c.id")))"
        }
        // Prepared like every statement: each of the shapes below fixes its plan (ordered scan of
        // a window, or trigram matches first), so a generic plan is the right one and no run pays
        // for planning (about 2 ms for a trigram query).
        func fetch(_ statement: SQL) throws -> Page<Person> {
            page.page(try executor.query(statement).map(Person.init(row:)), id: \.id)
        }
        let columns = Person.columns
        let limit = page.limit + 1
        guard let text = query.text, !text.isEmpty else {
            return try fetch(
                """
                SELECT \(columns) FROM registry.people p WHERE \(SQL.joined(conditions("p") + [after("p")], separator: " AND "))
                ORDER BY \(SQL.swedish("p.name")), p.id LIMIT \(limit)
                """
            )
        }
        let pattern = SearchText.containsPattern(text)
        guard SearchText.fold(text).count >= 3 else {
            // Too short for the trigram index; a short pattern is common, so the ordered scan finds a page soon.
            return try fetch(
                """
                SELECT \(columns) FROM registry.people p
                WHERE \(SQL.joined(conditions("p") + [after("p"), "p.search_name LIKE \(pattern)"], separator: " AND "))
                ORDER BY \(SQL.swedish("p.name")), p.id LIMIT \(limit)
                """
            )
        }
        // A common name fills a page within the first people in name order; a rare one is found
        // through the trigram index. Try the first (bounded) and fall back to the second, rather
        // than trusting the planner's guess of how common the pattern is.
        //
        // The window keeps only (name, id) pairs (an index-only scan once vacuum has marked the
        // pages all-visible, one table visit each before that, as right after a bulk load), so a
        // window that does not fill the page costs little; only its matches are read in full.
        let window = try fetch(
            """
            WITH w AS (
                SELECT x.id, x.name, x.search_name FROM registry.people x WHERE \(after("x"))
                ORDER BY \(SQL.swedish("x.name")), x.id LIMIT \(Self.searchWindow))
            SELECT \(columns) FROM w JOIN registry.people p ON p.id = w.id
            WHERE \(SQL.joined(["w.search_name LIKE \(pattern)"] + conditions("p"), separator: " AND "))
            ORDER BY \(SQL.swedish("w.name")), w.id LIMIT \(limit)
            """
        )
        if window.nextCursor != nil { return window }
        // The trigram index finds every match, the filters apply while their rows are read, and
        // only (id, name) pairs are kept and sorted; the page's full rows are then read by id.
        // MATERIALIZED keeps the planner from trading the trigram scan for an ordered one.
        return try fetch(
            """
            WITH matches AS MATERIALIZED (
                SELECT x.id, x.name FROM registry.people x
                WHERE \(SQL.joined(["x.search_name LIKE \(pattern)", after("x")] + conditions("x"), separator: " AND ")))
            SELECT \(columns) FROM registry.people p
            WHERE p.id IN (SELECT m.id FROM matches m ORDER BY \(SQL.swedish("m.name")), m.id LIMIT \(limit))
            ORDER BY \(SQL.swedish("p.name")), p.id
            """
        )
    }

    /// How many people in name order (after the cursor) a search looks at before it looks the
    /// pattern up in the trigram index instead: a pattern that fills a page within them is
    /// common (7 % of people or more), where the trigram index would return too many matches.
    static let searchWindow = 300

    /// The person with this identity number, if registered and within reach.
    public func person(withIdentityNumber number: IdentityNumber, reach: Reach, in executor: some SQLExecutor) throws -> Person? {
        try executor.queryFirst(
            """
            SELECT \(Person.columns) FROM registry.people p
            WHERE p.identity_hash = \(vault.blindIndex(number)) AND \(reach.allowsPerson("p.id"))
            """
        ).map(Person.init(row:))
    }

    /// The full identity number of a person, for the few exports that must carry it (the ESF
    /// participant report). The reading is audited with its purpose.
    ///
    /// - Returns: The number, or `nil` when none is on record.
    /// - Throws: ``FeatureError`` `.notFound` outside reach; ``IdentityKeyError``.
    public func revealIdentityNumber(ofPerson id: Int, purpose: String, reach: Reach, actor: Actor, in tx: Transaction) throws -> IdentityNumber? {
        guard
            let row = try tx.queryFirst(
                "SELECT p.identity_cipher FROM registry.people p WHERE p.id = \(id) AND \(reach.allowsPerson("p.id"))"
            )
        else { throw FeatureError.notFound("person", id: id) }
        guard let sealed = try row.decode("identity_cipher", as: Data?.self) else { return nil }
        let number = try vault.open(sealed)
        try tx.audit(actor, feature: Self.feature, entity: "person", id: id, action: "reveal identity number: \(purpose)")
        return number
    }

    /// Which of `ids` are people within `reach`: all of them for ``Reach/everything``. For a
    /// list a feature shows (a circle's participants) that names only those and counts the rest.
    ///
    /// - Throws: ``DatabaseError``.
    public func peopleWithinReach(_ ids: [Int], reach: Reach, in executor: some SQLExecutor) throws -> Set<Int> {
        guard reach != .everything else { return Set(ids) }
        guard !ids.isEmpty else { return [] }
        return Set(
            try executor.query("SELECT p.id FROM registry.people p WHERE p.id = ANY(\(ids)) AND \(reach.allowsPerson("p.id"))").map {
                try $0.decode("id", as: Int.self)
            }
        )
    }

    // MARK: - Writing

    /// Registers a person, sealing the identity number, and gives the roles in the draft.
    ///
    /// - Throws: ``FeatureError`` `.invalidInput` naming the field (an invalid identity number
    ///   says why), `.conflict` when the number is already registered, `.notFound` for a role's
    ///   organisation outside reach; ``DatabaseError``.
    public func createPerson(_ draft: PersonDraft, today: LocalDate, reach: Reach, actor: Actor, in tx: Transaction) throws -> Person {
        let name = try Input.text(draft.name, field: "/name")
        let contact = try Self.validated(draft.contact ?? ContactDetails())
        let number = try Self.givenIdentityNumber(draft.identityNumber).map {
            try Self.identityNumber($0, expecting: draft.identityKind, today: today, field: "/identityNumber")
        }
        var status = draft.identityStatus ?? (number == nil ? .none : .number)
        switch (status, number) {
        case (.number, nil):
            throw FeatureError(.invalidInput, "identityStatus is number but no identityNumber was given", field: "/identityNumber")
        case (.protected, .some), (.none, .some):
            throw FeatureError(.invalidInput, "a person with identityStatus \(status.rawValue) has no identity number", field: "/identityNumber")
        case (.erased, _):
            throw FeatureError(.invalidInput, "a new person cannot be erased", field: "/identityStatus")
        default:
            break
        }
        if number != nil { status = .number }
        let roles = draft.roles ?? []
        if reach != .everything && roles.isEmpty {
            throw FeatureError(.invalidInput, "give the person a role in an organisation you supervise", field: "/roles")
        }
        for (index, role) in roles.enumerated() {
            _ = try organisation(id: role.organisationId, reach: reach, in: tx)
            try Self.validate(from: role.from, to: role.to, field: "/roles/\(index)/to")
        }
        var sealed: (cipher: Data, hash: Data)?
        if let number {
            let hash = vault.blindIndex(number)
            if let taken = try identityTaken(number, hash: hash, byOtherThan: nil, reach: reach, in: tx) { throw taken }
            sealed = (try vault.seal(number), hash)
        }
        let row = try tx.query(
            """
            INSERT INTO registry.people AS p (name, search_name, identity_status, identity_kind, identity_cipher, identity_hash,
                identity_masked, birth_date, birth_year, gender, email, phone, address)
            VALUES (\(name), \(SearchText.fold(name)), \(status), \(number?.kind), \(sealed?.cipher), \(sealed?.hash),
                \(number?.masked), \(number?.birthDate), \(number?.birthDate.year), \(draft.gender ?? .unspecified),
                \(contact.email), \(contact.phone), \(contact.address))
            RETURNING \(Person.columns)
            """
        ).single()
        let person = try Person(row: row)
        try tx.audit(actor, feature: Self.feature, entity: "person", id: person.id, action: "create", after: auditView(person))
        for role in roles {
            _ = try insertRole(
                RoleDraft(personId: person.id, organisationId: role.organisationId, role: role.role, from: role.from, to: role.to),
                actor: actor,
                in: tx
            )
        }
        return person
    }

    /// Changes a person's details.
    ///
    /// - Throws: ``FeatureError`` `.notFound` outside reach or after erasure, `.invalidInput`
    ///   naming the field, `.conflict` for an identity number already registered.
    public func updatePerson(id: Int, _ patch: PersonPatch, today: LocalDate, reach: Reach, actor: Actor, in tx: Transaction) throws -> Person {
        try updatePerson(id: id, patch, today: today, reach: reach, actor: actor, auditing: true, in: tx)
    }

    /// ``updatePerson(id:_:today:reach:actor:in:)`` with its audit row or without it, for one
    /// purpose: `make bench` measures what the audit row costs on this realistic write
    /// (Benchmarks/run.sh, step (f)). Every write of the product is audited; this door is SPI
    /// (`@_spi(Benchmarks) import Registry`, only the benchmark feature does), not public API.
    ///
    /// - Parameter auditing: `false` leaves out the audit row and the audit views behind it.
    /// - Throws: As ``updatePerson(id:_:today:reach:actor:in:)``.
    @_spi(Benchmarks)
    public func updatePerson(
        id: Int,
        _ patch: PersonPatch,
        today: LocalDate,
        reach: Reach,
        actor: Actor,
        auditing: Bool,
        in tx: Transaction
    ) throws -> Person {
        let before = try lockedPerson(id: id, reach: reach, in: tx)
        guard before.erasedAt == nil else {
            throw FeatureError(.conflict, "person \(id) was erased; an erased person cannot be changed")
        }
        let name = try patch.name.map { try Input.text($0, field: "/name") } ?? before.name
        let contact = try patch.contact.map { try Self.validated($0) } ?? before.contact
        let gender = patch.gender ?? before.gender
        var identity: SQL = ""
        if let text = try Self.givenIdentityNumber(patch.identityNumber) {
            let number = try Self.identityNumber(text, expecting: patch.identityKind, today: today, field: "/identityNumber")
            let hash = vault.blindIndex(number)
            if let taken = try identityTaken(number, hash: hash, byOtherThan: id, reach: reach, in: tx) { throw taken }
            let cipher = try vault.seal(number)
            identity = """
                , identity_status = 'number', identity_kind = \(number.kind), identity_cipher = \(cipher),
                identity_hash = \(hash), identity_masked = \(number.masked), birth_date = \(number.birthDate), birth_year = \(number.birthDate.year)
                """
        }
        let row = try tx.query(
            """
            UPDATE registry.people p SET name = \(name), search_name = \(SearchText.fold(name)), gender = \(gender),
                email = \(contact.email), phone = \(contact.phone), address = \(contact.address), updated_at = now() \(identity)
            WHERE p.id = \(id)
            RETURNING \(Person.columns)
            """
        ).single()
        let updated = try Person(row: row)
        guard auditing else { return updated }
        if let (beforeView, afterView) = auditChange(from: before, to: updated) {
            try tx.audit(actor, feature: Self.feature, entity: "person", id: id, action: "update", before: beforeView, after: afterView)
        }
        return updated
    }

    /// Erases a person's identifying data: the name becomes a random pseudonym; the identity
    /// number (sealed and blind index), the masked number, the birth date and the contact details
    /// are removed. The person's id, gender, birth year and roles stay, so every count and
    /// relation stays right (a circle's age rule and the ESF age indicators need only the year).
    ///
    /// The person's earlier audit rows keep their keys but their name, number and contact values
    /// become `"erased"` (`registry.redact_erased_person_audit`, run with the `COMMIT` after every
    /// audit row this transaction queued), and the erasure's own row records who erased which id
    /// and when, with no before or after. ``PersonErased`` is published in the same transaction,
    /// for features that keep anything derived from the person. Cannot be undone.
    ///
    /// - Throws: ``FeatureError`` `.notFound`, `.conflict` when already erased.
    public func erasePerson(id: Int, actor: Actor, in tx: Transaction) throws -> Person {
        let before = try lockedPerson(id: id, reach: .everything, in: tx)
        guard before.erasedAt == nil else { throw FeatureError(.conflict, "person \(id) is already erased") }
        let pseudonym = "Pseudonym " + String(UInt32.random(in: 0x1000_0000...UInt32.max), radix: 16, uppercase: true)
        let row = try tx.query(
            """
            UPDATE registry.people p SET name = \(pseudonym), search_name = \(SearchText.fold(pseudonym)), identity_status = 'erased',
                identity_kind = NULL, identity_cipher = NULL, identity_hash = NULL, identity_masked = NULL, birth_date = NULL,
                email = NULL, phone = NULL, address = NULL, erased_at = now(), updated_at = now()
            WHERE p.id = \(id)
            RETURNING \(Person.columns)
            """
        ).single()
        let erased = try Person(row: row)
        // At the commit, after the audit rows queued before it (a change made earlier in this
        // transaction is redacted too), and before the erasure's own row.
        tx.executeAtCommit("SELECT registry.redact_erased_person_audit(\(id))")
        try tx.audit(actor, feature: Self.feature, entity: "person", id: id, action: "erase")
        try events.publish(PersonErased(personId: id), in: tx)
        return erased
    }

    // MARK: - Helpers

    func lockedPerson(id: Int, reach: Reach, in tx: Transaction) throws -> Person {
        guard
            let row = try tx.queryFirst(
                "SELECT \(Person.columns) FROM registry.people p WHERE p.id = \(id) AND \(reach.allowsPerson("p.id")) FOR UPDATE"
            )
        else { throw FeatureError.notFound("person", id: id) }
        return try Person(row: row)
    }

    /// The identity number as given, trimmed: `nil` (or JSON `null`) means none; an empty or
    /// blank one is refused, since it is neither a number nor a clear "none".
    ///
    /// - Throws: ``FeatureError`` `.invalidInput` at `/identityNumber` for an empty number.
    static func givenIdentityNumber(_ text: String?) throws(FeatureError) -> String? {
        guard let text else { return nil }
        guard !text.allSatisfy(\.isWhitespace) else {
            throw FeatureError(
                .invalidInput,
                "is empty; leave identityNumber out or send null for a person without one",
                field: "/identityNumber",
                wording: "identityNumberEmpty"
            )
        }
        return try Input.text(text, field: "/identityNumber", maxLength: 20)
    }

    static func identityNumber(
        _ text: String,
        expecting kind: IdentityNumber.Kind?,
        today: LocalDate,
        field: String
    ) throws(FeatureError)
        -> IdentityNumber
    {
        do {
            return try IdentityNumber(parsing: text, expecting: kind, today: today)
        } catch {
            throw FeatureError(.invalidInput, error.message, field: field, cause: error, wording: error.wording)
        }
    }

    /// Another person already has `number` (shown masked); `cause` marks an answer about a
    /// person outside the caller's reach (``IdentityProbe``).
    static func identityTaken(_ number: IdentityNumber, cause: IdentityProbe? = nil) -> FeatureError {
        FeatureError(
            .conflict,
            "a person with the identity number \(number.masked) is already registered",
            field: "/identityNumber",
            cause: cause,
            wording: Wording("identityTaken", ["number": number.masked])
        )
    }

    /// A person as the audit log sees it: names and contact details as keyed fingerprints (a
    /// change shows, the value does not), the identity number masked.
    func auditView(_ person: Person) -> PersonAuditView {
        PersonAuditView(
            fields: Dictionary(
                uniqueKeysWithValues: Self.auditedFields.map { field in (field.key, auditValue(field.value(person), field.fingerprinted)) }
            )
        )
    }

    /// The fields that differ between `before` and `after`, each side as ``auditView(_:)`` shows
    /// it; `nil` when nothing the log holds changed. Only a changed value is fingerprinted: an
    /// HMAC per field was most of what the audit row cost a person's update.
    func auditChange(from before: Person, to after: Person) -> (before: PersonAuditView, after: PersonAuditView)? {
        var (old, new): ([String: JSONValue], [String: JSONValue]) = ([:], [:])
        for field in Self.auditedFields {
            let (was, now) = (field.value(before), field.value(after))
            guard was != now else { continue }
            old[field.key] = auditValue(was, field.fingerprinted)
            new[field.key] = auditValue(now, field.fingerprinted)
        }
        return old.isEmpty ? nil : (PersonAuditView(fields: old), PersonAuditView(fields: new))
    }

    /// The fields of a person the audit log holds, and whether each is fingerprinted.
    static let auditedFields: [(key: String, value: @Sendable (Person) -> String?, fingerprinted: Bool)] = [
        ("name", { $0.name }, true),
        ("identityNumber", { $0.identityNumber }, false),
        ("identityStatus", { $0.identityStatus.rawValue }, false),
        ("gender", { $0.gender.rawValue }, false),
        ("email", { $0.contact.email }, true),
        ("phone", { $0.contact.phone }, true),
        ("address", { $0.contact.address }, true),
    ]

    func auditValue(_ value: String?, _ fingerprinted: Bool) -> JSONValue {
        guard let value else { return .null }
        return .string(fingerprinted ? vault.fingerprint(value) : value)
    }
}

/// A person's fields for the audit log, identifying data fingerprinted.
struct PersonAuditView: Auditable {
    let fields: [String: JSONValue]
    var auditFields: [String: JSONValue] { fields }
}

/// What to look for among people.
public struct PersonQuery: Sendable, Hashable {
    /// Part of the name (case and accents ignored).
    public var text: String?
    /// An identity number, in any accepted form.
    public var identityNumber: String?
    /// Only people with a role (past or present) in this organisation.
    public var organisationId: Int?

    /// Creates a query; all parts optional.
    public init(text: String? = nil, identityNumber: String? = nil, organisationId: Int? = nil) {
        self.text = text
        self.identityNumber = identityNumber
        self.organisationId = organisationId
    }
}

extension Person {
    /// The columns `Person(row:)` reads, from the alias `p`: never the sealed number.
    static let columns: SQL = """
        p.id, p.name, p.identity_masked, p.identity_status, p.identity_kind, p.birth_date, p.gender, p.email, p.phone, p.address,
        p.erased_at, p.created_at, p.updated_at
        """

    init(row: Row) throws {
        self.init(
            id: try row.decode("id"),
            name: try row.decode("name"),
            identityNumber: try row.decode("identity_masked"),
            identityStatus: try row.decode("identity_status"),
            identityKind: try row.decode("identity_kind"),
            birthDate: try row.decode("birth_date"),
            gender: try row.decode("gender"),
            contact: ContactDetails(email: try row.decode("email"), phone: try row.decode("phone"), address: try row.decode("address")),
            erasedAt: try row.decode("erased_at"),
            createdAt: try row.decode("created_at"),
            updatedAt: try row.decode("updated_at")
        )
    }
}

extension IdentityStatus: SQLEncodable, SQLDecodable {}
extension IdentityNumber.Kind: SQLEncodable, SQLDecodable {}
extension Gender: SQLEncodable, SQLDecodable {}
