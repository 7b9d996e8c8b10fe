import DataAccess
import Hummingbird
import PluginKit

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

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("hello") { _, _ in Hello(message: "hello") }
        group.get("accounts/:id") { _, context in
            let id = try context.parameters.require("id", as: Int.self)
            return try await account(id: id)
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
