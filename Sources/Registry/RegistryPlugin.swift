public import DataAccess
import FeatureSupport
public import Foundation
public import Hummingbird
import OpenAPIHummingbird
public import PageKit
public import PluginKit

/// The registry as the host mounts it: the schema `registry`, the routes under
/// `/api/v1/registry`, the commands of `kooperator registry …`, the permissions and the demo
/// organisations and people. Always on: the registry is the shared kernel every feature uses.
public struct RegistryPlugin: FeaturePlugin, PageFeature {
    /// `registry`.
    public static let id = "registry"
    /// Shown by `kooperator features`.
    public static let summary = "Organisations, people, roles and identity numbers (shared kernel, always on)"
    /// The registry's version.
    public static let version = "1.0.0"

    /// Creates the registry feature; `features.registry` has no settings besides `enabled`.
    public init(settings: ConfigSection) throws {}

    /// The schema `registry`.
    public var migrations: [Migration] { RegistryMigrations.all }

    /// The registry's permissions and the roles granted them.
    public var permissions: [Permission] { RegistryPermissions.all }

    /// The handlers generated from `openapi.yaml`, under `/api/v1/registry`.
    public func addRoutes(to group: RouterGroup<AppRequestContext>, context: FeatureContext) throws {
        let group = group.add(middleware: IdentityNumberInURLRefusal<AppRequestContext>(instead: "POST /api/v1/registry/people/lookup"))
        try RegistryAPI(registry: try context.registry).registerHandlers(on: APITransport(group), configuration: .kooperator)
    }

    /// `kooperator registry organisation|person|role …`.
    public var commands: [any FeatureCommand.Type] { [OrganisationCommand.self, PersonCommand.self, RoleCommand.self] }

    /// A study circle that formed a cooperative (`education.circleFormedCooperative`): the
    /// organisation is linked or registered as a prospect, with the participants as cooperators.
    public func eventSubscriptions(context: FeatureContext) throws -> [EventSubscription] {
        let registry = try context.registry
        return [
            EventSubscription("education.circleFormedCooperative") { envelope, tx in
                // The published payload, decoded into the registry's own type (no import of education).
                struct Formed: Decodable {
                    let name: String
                    let organisationId: Int?
                    let participantIds: [Int]
                    let on: LocalDate
                }
                let formed = try envelope.decode(Formed.self)
                try registry.cooperativeFormed(
                    name: formed.name,
                    organisationId: formed.organisationId,
                    participants: formed.participantIds,
                    on: formed.on,
                    in: tx
                )
            }
        ]
    }

    /// The registry's API, `openapi.yaml`: the one source of its routes and of its part of `/openapi.json`.
    public static var apiDocument: URL? { Bundle.module.url(forResource: "openapi", withExtension: "yaml") }

    public static var rolesDocument: URL? { Bundle.module.url(forResource: "roles", withExtension: "json", subdirectory: "Resources") }

    /// The story's organisations and people.
    public func loadDemo(context: FeatureContext) async throws {
        try await RegistryDemo.load(into: try context.registry)
    }

    /// The pages: organisations and people to search, an organisation's page with what every
    /// feature knows about it, a person's page, the form that registers an organisation.
    public func pages(context: FeatureContext) throws -> (any PageProvider)? {
        RegistryPages(registry: try context.registry, templates: try PageTemplates(bundle: .module))
    }

    /// Up when the identity key matches the stored key check.
    public func health(context: FeatureContext) async -> HealthStatus {
        do {
            try await context.registry.verifyKey()
            return .up
        } catch {
            return .down("\(error)")
        }
    }
}

enum RegistryKey: KernelServiceKey {
    typealias Value = Registry
}

extension FeatureContext {
    /// The registry, with the host's identity key.
    ///
    /// - Throws: ``KernelServices/Missing`` when the host did not provide it (a wiring error).
    public var registry: Registry { get throws(KernelServices.Missing) { try kernel.service(RegistryKey.self) } }
}

extension KernelServices {
    /// Provides the registry to every feature (the host calls this once).
    public mutating func provide(_ registry: Registry) { self[RegistryKey.self] = registry }
}

extension RegistryPlugin: ReportFeature {
    /// The registry's figures for the host's reports: members and employees from the roles.
    public func reportContributor(context: FeatureContext) throws -> (any ReportContributor)? {
        RegistryReports(registry: try context.registry, strings: try PageTemplates(bundle: .module).strings)
    }
}
