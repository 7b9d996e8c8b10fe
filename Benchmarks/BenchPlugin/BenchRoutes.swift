import DataAccess
import Foundation
import Hummingbird
import PluginKit
@_spi(Benchmarks) import Registry

/// The benchmark's HTTP routes.
struct BenchRoutes: Sendable {
    /// The body of `GET hello`.
    struct Hello: ResponseCodable {
        var message: String
    }

    /// One row of `bench.accounts`.
    struct Account: ResponseCodable {
        var id: Int
        var balance: Int
        var note: String
    }

    let database: Database
    /// The registry, for the person update of the audit benchmark (`nil` without it).
    let registry: Registry?

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("hello") { _, _ in Hello(message: "hello") }
        group.get("accounts/:id") { _, context in
            let id = try context.parameters.require("id", as: Int.self)
            return try await account(id: id)
        }
        // The cost of the audit row: the same write with and without it.
        group.post("accounts/:id/deposit") { request, context in
            let id = try context.parameters.require("id", as: Int.self)
            return try await deposit(id: id, audited: request.uri.queryParameters.get("audit") != "0")
        }
        // The cost of the audit row on a realistic write: the registry's person update.
        group.post("people/:id/update") { request, context in
            let id = try context.parameters.require("id", as: Int.self)
            return try await updatePerson(id: id, audited: request.uri.queryParameters.get("audit") != "0")
        }
    }

    /// The answer of a person update: the id and when it changed (the registry's person holds
    /// masked data only, but the benchmark needs none of it).
    struct UpdatedPerson: ResponseCodable {
        var id: Int
        var updatedAt: Date
    }

    /// Changes a seeded person's telephone number (a new one each time, so every update has
    /// something to audit) through the registry's own update, with or without its audit row:
    /// the same lock, checks, statement and decoding either way.
    func updatePerson(id: Int, audited: Bool) async throws -> UpdatedPerson {
        guard let registry else { throw FeatureError(.notFound, "the registry is not available") }
        let phone = "070-\(Int.random(in: 1_000_000...9_999_999))"
        let today = LocalDate.today()
        let person = try await registry.database.transaction { tx in
            try registry.updatePerson(
                id: id,
                PersonPatch(contact: ContactDetails(phone: phone)),
                today: today,
                reach: .everything,
                actor: Actor(userID: nil, name: "bench"),
                auditing: audited,
                in: tx
            )
        }
        return UpdatedPerson(id: person.id, updatedAt: person.updatedAt)
    }

    /// The audit view of a balance change.
    struct Deposit: Auditable {
        let balance: Int
        var auditFields: [String: JSONValue] { ["balance": .int(balance)] }
    }

    /// Adds 1 to an account's balance in a transaction, with or without the audit row every real
    /// write carries.
    func deposit(id: Int, audited: Bool) async throws -> Account {
        try await database.transaction { tx in
            guard let row = try tx.queryFirst("UPDATE bench.accounts SET balance = balance + 1 WHERE id = \(id) RETURNING id, balance, note") else {
                throw FeatureError(.notFound, "no account with id \(id)", field: "/id")
            }
            let account = Account(id: try row.decode("id"), balance: try row.decode("balance"), note: try row.decode("note"))
            if audited {
                try tx.audit(
                    Actor(userID: nil, name: "bench"),
                    feature: "bench",
                    entity: "account",
                    id: id,
                    action: "deposit",
                    before: Deposit(balance: account.balance - 1),
                    after: Deposit(balance: account.balance)
                )
            }
            return account
        }
    }

    /// Reads one account by primary key through the pool.
    ///
    /// - Throws: ``FeatureError`` with code `notFound` when there is no such account.
    func account(id: Int) async throws -> Account {
        let rows = try await database.query("SELECT id, balance, note FROM bench.accounts WHERE id = \(id)")
        guard let row = rows.first else { throw FeatureError(.notFound, "no account with id \(id)", field: "/id") }
        return Account(
            id: try row.decode("id", as: Int.self),
            balance: try row.decode("balance", as: Int.self),
            note: try row.decode("note", as: String.self)
        )
    }
}
