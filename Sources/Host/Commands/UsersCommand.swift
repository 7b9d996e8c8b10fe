import ArgumentParser
import DataAccess
import FeatureSupport
import PluginKit

/// `kooperator users add|list|disable|roles`.
struct UsersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users",
        abstract: "Add, list and disable users; set their sign-in passwords; show what each role may do.",
        subcommands: [Add.self, List.self, Disable.self, Password.self, Roles.self]
    )

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Add a user. Then issue a token: `kooperator tokens issue NAME`."
        )
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The login name (a–z, 0–9, . _ -)") var name: String
        @Option(help: "admin, officer, supervisor, coordinator or auditor") var role: Role
        @Option(help: "The user's full name") var displayName: String?
        @Option(help: "The registry organisation the user works for (required for a supervisor: its scope)") var organisation: Int?

        func run() async throws {
            try await HostRuntime.withMigrated(options) { runtime in
                let user = try await runtime.users.add(
                    name: name,
                    displayName: displayName,
                    role: role,
                    organisationID: organisation,
                    actor: .commandLine
                )
                print("added user \(user.name) (id \(user.id), \(user.role)\(user.organisationId.map { ", organisation \($0)" } ?? ""))")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List users.")
        @OptionGroup var options: GlobalOptions

        func run() async throws {
            try await HostRuntime.withMigrated(options) { runtime in
                var table = TextTable("ID", "NAME", "DISPLAY NAME", "ROLE", "ORGANISATION", "STATE")
                for user in try await runtime.users.list() {
                    table.add(
                        String(user.id),
                        user.name,
                        user.displayName,
                        user.role.rawValue,
                        user.organisationId.map(String.init) ?? "-",
                        user.disabledAt == nil ? "active" : "disabled"
                    )
                }
                print(table.rendered)
            }
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "disable",
            abstract: "Disable a user: its tokens stop working (within security.tokenCacheSeconds)."
        )
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The login name") var name: String

        func run() async throws {
            try await HostRuntime.withMigrated(options) { runtime in
                let user = try await runtime.users.disable(name: name, actor: .commandLine)
                print("disabled user \(user.name)")
            }
        }
    }

    struct Password: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "password",
            abstract: "Set a user's password for the sign-in page; the user's browser sessions end.",
            discussion: "Reads the password from standard input (one line), or makes a random one with --generate and prints it on the last line."
        )
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The login name") var name: String
        @Flag(help: "Make a random password and print it (shown once).") var generate = false

        func run() async throws {
            let password: String
            if generate {
                password = PasswordHasher.randomPassword()
            } else {
                guard let line = readLine(strippingNewline: true), !line.isEmpty else {
                    throw CommandFailure("give the password on standard input (one line), or use --generate")
                }
                password = line
            }
            try await HostRuntime.withMigrated(options) { runtime in
                try await runtime.users.setPassword(user: name, password: password, actor: .commandLine)
                print("set the password of \(name.lowercased())")
                if generate { print(password) }
            }
        }
    }

    struct Roles: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "roles",
            abstract: "Show every permission of the kernel and the enabled features, and the roles granted it."
        )
        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let configuration = try options.load()
            var table = TextTable(["PERMISSION"] + Role.allCases.map { $0.rawValue.uppercased() } + ["WHAT IT ALLOWS"])
            let permissions = KernelPermissions.all + configuration.features.enabled.flatMap(\.plugin.permissions)
            for permission in permissions {
                table.add(row: [permission.id] + Role.allCases.map { permission.roles.contains($0) ? "yes" : "-" } + [permission.summary])
            }
            print(table.rendered)
        }
    }
}
