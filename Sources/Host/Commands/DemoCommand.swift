import ArgumentParser
import DataAccess
import PluginKit
import Registry

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
                let passwords = try await runtime.loadDemo()
                print("loaded the demo story: \(runtime.features.enabled.map(\.id).joined(separator: ", ")), and the demo users")
                for line in HostRuntime.signInLines(passwords) { print(line) }
                print("issue a token with: kooperator tokens issue demo-officer")
            }
        }
    }
}

extension HostRuntime {
    /// The demo users: one per role; the supervisor works for the umbrella association.
    static let demoUsers: [(name: String, displayName: String, role: Role)] = [
        ("demo-admin", "Demo Admin", .admin),
        ("demo-officer", "Birgitta Nordström (handläggare)", Role(rawValue: "officer")),
        ("demo-supervisor", "Åsa Öberg (handledare)", Role(rawValue: "supervisor")),
        ("demo-coordinator", "ESF-samordnaren", Role(rawValue: "coordinator")),
        ("demo-auditor", "Revisorn", .auditor),
    ]

    /// Loads each enabled feature's demo part in dependency order, with the demo users made
    /// right after the registry's part (the supervisor works for its umbrella association), so
    /// the features' parts find them (`context.staff`) and name them responsible for the records
    /// of today; then gives each a new random password for the sign-in page.
    ///
    /// - Returns: Each demo user's name and new password, the officer first.
    @discardableResult
    func loadDemo() async throws -> [(name: String, password: String)] {
        // A role whose feature is switched off (the coordinator without the ESF project) gets no demo user.
        let demoUsers = Self.demoUsers.filter { roles.definition(of: $0.role) != nil }
        var added = false
        for feature in features.enabled {
            try await feature.plugin.loadDemo(context: context(for: feature.id))
            if feature.id == RegistryPlugin.id {
                try await addDemoUsers(demoUsers)
                added = true
            }
        }
        if !added { try await addDemoUsers(demoUsers) }
        var passwords: [(name: String, password: String)] = []
        for user in demoUsers.sorted(by: { ($0.name == "demo-officer" ? 0 : 1) < ($1.name == "demo-officer" ? 0 : 1) }) {
            let password = PasswordHasher.randomPassword()
            try await users.setPassword(user: user.name, password: password, actor: .system)
            passwords.append((user.name, password))
        }
        return passwords
    }

    /// Adds the demo users not there yet; a user of a scoped role works for the registry's first
    /// social-economy organisation (the umbrella association).
    private func addDemoUsers(_ demoUsers: [(name: String, displayName: String, role: Role)]) async throws {
        let umbrella = try await database.query(
            "SELECT id FROM registry.organisations WHERE kind = 'socialEconomyOrganisation' ORDER BY id LIMIT 1"
        ).first.map { try $0.decode("id", as: Int.self) }
        let existing = Set(try await users.list().map(\.name))
        for user in demoUsers where !existing.contains(user.name) {
            _ = try await users.add(
                name: user.name,
                displayName: user.displayName,
                role: user.role,
                organisationID: roles.definition(of: user.role)?.isScoped == true ? umbrella : nil,
                actor: .system
            )
        }
    }

    /// The lines that tell how to sign in as the demo users (`make run` prints them).
    static func signInLines(_ passwords: [(name: String, password: String)]) -> [String] {
        passwords.map { "demo sign-in: user \($0.name) password \($0.password)" }
    }
}
