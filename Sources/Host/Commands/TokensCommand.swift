import ArgumentParser
import DataAccess
import FeatureSupport
import Foundation
import PluginKit

/// `kooperator tokens issue|revoke|list`.
struct TokensCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokens",
        abstract: "Issue, list and revoke API tokens (stored hashed; shown once).",
        subcommands: [Issue.self, Revoke.self, List.self]
    )

    struct Issue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "issue",
            abstract: "Issue a token for a user; the token is the last line of the output and is not shown again."
        )
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The user's login name") var user: String
        @Option(help: "Days until it expires (default security.tokenLifetimeDays)") var expiresInDays: Int?
        @Option(help: "What the token is for, e.g. the machine that uses it") var label: String?

        func run() async throws {
            try await HostRuntime.withMigrated(options) { runtime in
                let days = expiresInDays ?? runtime.configuration.host.security.tokenLifetimeDays
                let (issued, token) = try await runtime.users.issueToken(user: user, days: days, label: label, actor: .commandLine)
                print("issued token \(issued.id) for \(issued.user), expires \(issued.expiresAt.formatted(.iso8601)); it is shown only now:")
                print(token)
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "revoke",
            abstract: "Revoke a token by its id (see `tokens list`); takes effect within security.tokenCacheSeconds."
        )
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The token's id") var id: Int

        func run() async throws {
            try await HostRuntime.withMigrated(options) { runtime in
                let token = try await runtime.users.revokeToken(id: id, actor: .commandLine)
                print("revoked token \(token.id) of \(token.user)")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List tokens (never the tokens themselves).")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Only this user's tokens") var user: String?

        func run() async throws {
            try await HostRuntime.withMigrated(options) { runtime in
                var table = TextTable("ID", "USER", "LABEL", "CREATED", "EXPIRES", "LAST USED", "STATE")
                let now = Date()
                for token in try await runtime.users.tokens(of: user) {
                    let state = token.revokedAt != nil ? "revoked" : token.expiresAt < now ? "expired" : "valid"
                    table.add(
                        String(token.id),
                        token.user,
                        token.label,
                        token.createdAt.formatted(.iso8601),
                        token.expiresAt.formatted(.iso8601),
                        token.lastUsedAt?.formatted(.iso8601) ?? "-",
                        state
                    )
                }
                print(table.rendered)
            }
        }
    }
}
