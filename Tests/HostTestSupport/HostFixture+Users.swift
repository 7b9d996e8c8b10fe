package import DataAccess
import Foundation

extension HostFixture {
    /// A user in `kernel.users` as `kooperator users add` leaves one (display name: the login
    /// capitalised), for a feature's store tests that run on the migrations alone, without a host.
    ///
    /// - Returns: The user's id.
    package static func user(
        _ name: String,
        role: String,
        organisation: Int? = nil,
        disabled: Bool = false,
        in database: Database
    ) async throws -> Int {
        try await database.query(
            """
            INSERT INTO kernel.users (name, display_name, role, organisation_id, disabled_at)
            VALUES (\(name), \(name.capitalized), \(role), \(organisation), CASE WHEN \(disabled) THEN now() END) RETURNING id
            """
        ).single().decode("id")
    }
}
