import DataAccess
import FeatureSupport
import Foundation
import OpenAPIRuntime
import PageKit
import PluginKit

/// The schemas of `Sources/Host/openapi.yaml` are these types (see openapi-generator-config.yaml).
typealias HealthBody = HealthController.Report
typealias HealthPartBody = HealthController.Part
typealias AuditEntryBody = AuditLog.Entry
typealias UserBody = UserStore.User
typealias TokenBody = UserStore.Token
typealias ReportBody = AssembledReport

/// The host's own operations of `Sources/Host/openapi.yaml`: `/health`, the audit log, the
/// reports, and the users and their tokens (the same ``UserStore`` calls as `kooperator users` and `tokens`).
struct HostAPI: APIProtocol {
    let health: HealthController
    let log: AuditLog
    let users: UserStore
    /// How long a token lives when its issuer does not say (`security.tokenLifetimeDays`).
    let tokenLifetimeDays: Int
    /// The reports, from the enabled features' figures.
    let reports: ReportAssembler

    /// The host's operations over `runtime`.
    ///
    /// - Throws: When a feature's report contributor cannot be made.
    init(runtime: HostRuntime) throws {
        reports = try ReportAssembler(runtime: runtime)
        health = HealthController(runtime: runtime)
        log = AuditLog(database: runtime.database)
        users = runtime.users
        tokenLifetimeDays = runtime.configuration.host.security.tokenLifetimeDays
    }

    /// The URL of the host's API document, shipped as a resource.
    static var document: URL? { Bundle.module.url(forResource: "openapi", withExtension: "yaml") }

    func getHealth(_ input: Operations.GetHealth.Input) async throws -> Operations.GetHealth.Output {
        let report = await health.report()
        guard report.status == "up" else { return .serviceUnavailable(.init(headers: .init(cacheControl: "no-store"), body: .json(report))) }
        return .ok(.init(headers: .init(cacheControl: "no-store"), body: .json(report)))
    }

    func listAuditEntries(_ input: Operations.ListAuditEntries.Input) async throws -> Operations.ListAuditEntries.Output {
        let page = try PageRequest(limit: input.query.limit, cursor: input.query.cursor)
        let query = AuditLog.Query(
            entity: input.query.entity,
            feature: input.query.feature,
            since: input.query.since,
            limit: page.limit + 1,
            beforeID: page.afterID
        )
        return .ok(.init(body: .json(page.page(try await log.entries(query), id: \.id))))
    }

    // MARK: - Users and tokens

    func listUsers(_ input: Operations.ListUsers.Input) async throws -> Operations.ListUsers.Output {
        .ok(.init(body: .json(try await users.list())))
    }

    func addUser(_ input: Operations.AddUser.Input) async throws -> Operations.AddUser.Output {
        guard case .json(let new) = input.body else { throw FeatureError(.invalidInput, "a JSON body is needed") }
        let user = try await users.add(
            name: new.name,
            displayName: new.displayName,
            role: Role(rawValue: new.role),
            organisationID: new.organisationId.map(Int.init),
            actor: try Caller.current().actor
        )
        return .created(.init(body: .json(user)))
    }

    func getUser(_ input: Operations.GetUser.Input) async throws -> Operations.GetUser.Output {
        .ok(.init(body: .json(try await users.user(named: input.path.name))))
    }

    func changeUser(_ input: Operations.ChangeUser.Input) async throws -> Operations.ChangeUser.Output {
        guard case .json(let change) = input.body else { throw FeatureError(.invalidInput, "a JSON body is needed") }
        let user = try await users.change(
            name: input.path.name,
            displayName: change.displayName,
            role: change.role.map(Role.init(rawValue:)),
            organisationID: change.organisationId.map(Int.init),
            actor: try Caller.current().actor
        )
        return .ok(.init(body: .json(user)))
    }

    func disableUser(_ input: Operations.DisableUser.Input) async throws -> Operations.DisableUser.Output {
        .ok(.init(body: .json(try await users.disable(name: input.path.name, actor: try Caller.current().actor))))
    }

    func setUserPassword(_ input: Operations.SetUserPassword.Input) async throws -> Operations.SetUserPassword.Output {
        guard case .json(let setting) = input.body else { throw FeatureError(.invalidInput, "a JSON body is needed") }
        try await users.setPassword(user: input.path.name, password: setting.password, actor: try Caller.current().actor)
        return .noContent(.init())
    }

    func listUserTokens(_ input: Operations.ListUserTokens.Input) async throws -> Operations.ListUserTokens.Output {
        // An unknown user is 404, not an empty list.
        let user = try await users.user(named: input.path.name)
        return .ok(.init(body: .json(try await users.tokens(of: user.name))))
    }

    func issueToken(_ input: Operations.IssueToken.Input) async throws -> Operations.IssueToken.Output {
        guard case .json(let new) = input.body else { throw FeatureError(.invalidInput, "a JSON body is needed") }
        let (token, secret) = try await users.issueToken(
            user: input.path.name,
            days: new.expiresInDays ?? tokenLifetimeDays,
            label: new.label,
            actor: try Caller.current().actor
        )
        let issued = Components.Schemas.IssuedToken(
            token: secret,
            id: Int64(token.id),
            user: token.user,
            label: token.label,
            expiresAt: token.expiresAt
        )
        return .created(.init(body: .json(issued)))
    }

    func revokeToken(_ input: Operations.RevokeToken.Input) async throws -> Operations.RevokeToken.Output {
        .ok(.init(body: .json(try await users.revokeToken(id: Int(input.path.id), actor: try Caller.current().actor))))
    }
}

// MARK: - One's own settings

extension HostAPI {
    func getMySettings(_ input: Operations.GetMySettings.Input) async throws -> Operations.GetMySettings.Output {
        let caller = try Caller.current()
        return .ok(.init(body: .json(Self.body(try await users.settings(ofUser: caller.principal.userID)))))
    }

    func changeMySettings(_ input: Operations.ChangeMySettings.Input) async throws -> Operations.ChangeMySettings.Output {
        guard case .json(let body) = input.body else { throw FeatureError(.invalidInput, "a JSON body is needed") }
        let caller = try Caller.current()
        let settings = UserSettings(email: body.email, language: Language(code: body.language.rawValue), reminderDigest: body.reminderDigest)
        return .ok(.init(body: .json(Self.body(try await users.changeSettings(ofUser: caller.principal.userID, to: settings, actor: caller.actor)))))
    }

    /// The API's view of a user's settings.
    static func body(_ settings: UserSettings) -> Components.Schemas.UserSettings {
        .init(email: settings.email, language: settings.language == .en ? .en : .sv, reminderDigest: settings.reminderDigest)
    }
}
