import ArgumentParser
import DataAccess
import PluginKit

/// `kooperator demo load`: the story of DOMAIN.md as demo data.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Load the demo story.",
        subcommands: [Load.self]
    )

    struct Load: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "load",
            abstract: "Load the story (registry and every enabled feature) and demo users; running it again changes nothing."
        )
        @OptionGroup var options: GlobalOptions
        @Flag(help: "Apply pending migration steps first.") var migrate = false

        func run() async throws {
            try await HostRuntime.with(options) { runtime in
                if migrate { try await runtime.migrate() }
                try await runtime.requireMigrated()
                try await runtime.loadDemo()
                print("loaded the demo story: \(runtime.features.enabled.map(\.id).joined(separator: ", ")), and the demo users")
                print("issue a token with: kooperator tokens issue demo-officer")
            }
        }
    }
}

extension HostRuntime {
    /// The demo users: one per role; the supervisor works for the umbrella association.
    static let demoUsers: [(name: String, displayName: String, role: Role)] = [
        ("demo-admin", "Demo Admin", .admin),
        ("demo-officer", "Birgitta Nordström (handläggare)", .officer),
        ("demo-supervisor", "Åsa Öberg (handledare)", .supervisor),
        ("demo-coordinator", "ESF-samordnaren", .coordinator),
        ("demo-auditor", "Revisorn", .auditor),
    ]

    /// Loads each enabled feature's demo part in dependency order, then the demo users.
    func loadDemo() async throws {
        for feature in features.enabled {
            try await feature.plugin.loadDemo(context: context(for: feature.id))
        }
        let umbrella = try await database.query(
            "SELECT id FROM registry.organisations WHERE kind = 'socialEconomyOrganisation' ORDER BY id LIMIT 1"
        ).first.map { try $0.decode("id", as: Int.self) }
        let existing = Set(try await users.list().map(\.name))
        for user in Self.demoUsers where !existing.contains(user.name) {
            _ = try await users.add(
                name: user.name,
                displayName: user.displayName,
                role: user.role,
                organisationID: user.role.isScoped ? umbrella : nil,
                actor: .system
            )
        }
    }
}
