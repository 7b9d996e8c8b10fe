public import DataAccess
import Foundation
public import PluginKit

/// A person a bulk import names by identity number: registered when not yet known.
public struct PersonImport: Sendable, Hashable {
    /// The person's name, as the file gives it.
    public var name: String
    /// The validated identity number.
    public var identityNumber: IdentityNumber
    /// The gender, for gender-split reports.
    public var gender: Gender

    /// Creates an import row.
    public init(name: String, identityNumber: IdentityNumber, gender: Gender) {
        self.name = name
        self.identityNumber = identityNumber
        self.gender = gender
    }
}

extension Registry {
    /// The ids of the people with these identity numbers, registering the unknown ones, in a
    /// few set-based statements (a feature's CSV import of 100 000 rows), each found through its
    /// keyed hash and each new number sealed as ``createPerson(_:today:reach:actor:in:)`` does.
    /// Every registration is audited. A person already known keeps their registered name.
    ///
    /// - Returns: Each identity number's person id, and how many people were registered.
    /// - Throws: ``IdentityKeyError``, ``DatabaseError``.
    public func ensurePeople(
        _ people: [PersonImport],
        actor: Actor,
        in tx: Transaction
    ) throws -> (ids: [IdentityNumber: Int], registered: Int) {
        var byHash: [Data: PersonImport] = [:]
        for person in people { byHash[vault.blindIndex(person.identityNumber)] = person }
        guard !byHash.isEmpty else { return ([:], 0) }
        var ids: [IdentityNumber: Int] = [:]
        let hashes = Array(byHash.keys)
        for row in try tx.query("SELECT id, identity_hash FROM registry.people WHERE identity_hash = ANY(\(hashes))") {
            if let person = byHash.removeValue(forKey: try row.decode("identity_hash", as: Data.self)) {
                ids[person.identityNumber] = try row.decode("id")
            }
        }
        guard !byHash.isEmpty else { return (ids, 0) }
        let new = Array(byHash)
        let names = new.map(\.value.name)
        let sealed = try new.map { try vault.seal($0.value.identityNumber) }
        let numbers = new.map(\.value.identityNumber)
        let inserted = try tx.query(
            """
            INSERT INTO registry.people (name, search_name, identity_status, identity_kind, identity_cipher, identity_hash,
                identity_masked, birth_date, birth_year, gender)
            SELECT r.name, r.search_name, 'number', r.kind, r.cipher, r.hash, r.masked, r.birth::date,
                extract(year FROM r.birth::date)::integer, r.gender
            FROM unnest(\(names)::text[], \(names.map(SearchText.fold))::text[], \(numbers.map(\.kind.rawValue))::text[], \(sealed)::bytea[],
                \(new.map(\.key))::bytea[], \(numbers.map(\.masked))::text[], \(numbers.map(\.birthDate.description))::text[],
                \(new.map(\.value.gender.rawValue))::text[])
                AS r(name, search_name, kind, cipher, hash, masked, birth, gender)
            RETURNING id, identity_hash, identity_masked, identity_kind, gender
            """
        )
        var audited: [(id: String, after: any Auditable)] = []
        audited.reserveCapacity(inserted.count)
        for row in inserted {
            let id: Int = try row.decode("id")
            guard let person = byHash[try row.decode("identity_hash", as: Data.self)] else { continue }
            ids[person.identityNumber] = id
            audited.append(
                (
                    String(id),
                    PersonAuditView(fields: [
                        "name": .string(vault.fingerprint(person.name)),
                        "identityNumber": .string(person.identityNumber.masked),
                        "identityStatus": "number",
                        "gender": .string(person.gender.rawValue),
                    ])
                )
            )
        }
        try tx.audit(actor, feature: Self.feature, entity: "person", action: "import", records: audited)
        return (ids, inserted.count)
    }

    /// The ids of the people with these identity numbers, found through their keyed hashes;
    /// numbers not registered are absent.
    public func personIDs(byIdentityNumber numbers: [IdentityNumber], in executor: some SQLExecutor) throws -> [IdentityNumber: Int] {
        var byHash: [Data: IdentityNumber] = [:]
        for number in numbers { byHash[vault.blindIndex(number)] = number }
        guard !byHash.isEmpty else { return [:] }
        var ids: [IdentityNumber: Int] = [:]
        for row in try executor.query("SELECT id, identity_hash FROM registry.people WHERE identity_hash = ANY(\(Array(byHash.keys)))") {
            if let number = byHash[try row.decode("identity_hash", as: Data.self)] { ids[number] = try row.decode("id") }
        }
        return ids
    }

    /// The organisations with these organisation numbers (10 digits), by number, for a bulk
    /// import that names employers by number; numbers not registered are absent.
    public func organisations(byNumber numbers: [String], in executor: some SQLExecutor) throws -> [String: (id: Int, kind: OrganisationKind)] {
        guard !numbers.isEmpty else { return [:] }
        var found: [String: (id: Int, kind: OrganisationKind)] = [:]
        for row in try executor.query(
            "SELECT id, kind, organisation_number FROM registry.organisations WHERE organisation_number = ANY(\(Array(Set(numbers))))"
        ) {
            found[try row.decode("organisation_number")] = (try row.decode("id"), try row.decode("kind"))
        }
        return found
    }
}
