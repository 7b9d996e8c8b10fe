package import ESFProject
package import PluginKit
package import Registry

@testable package import Host

extension HostFixture {
    /// Every feature the product is built with, switched on: a `features:` section for
    /// ``yaml(url:features:extra:)`` read off ``AvailablePlugins/all``, so a new feature is in
    /// the walks and the catalogue without a line here.
    package static let everyFeature = AvailablePlugins.all.map { "\($0.id): { enabled: true }" }.joined(separator: "\n")

    /// The roles of the product with every feature on, as the host reads them.
    package static let roles: RoleCatalogue = {
        let text = yaml(url: "postgresql://localhost/none", features: everyFeature)
        let (loaded, _) = try! HostFixture.configuration(text, plugins: AvailablePlugins.all)
        return loaded!.roles
    }()
}

extension Role {
    /// The roles every host knows, whatever features are on (the kernel's, the registry's, and
    /// the coordinator, which the kernel's schema stores), in the order the walks have always
    /// gone through them; `productRoles` checks that every kernel and registry role is here.
    package static let allCases: [Role] = [.admin, .officer, .supervisor, .coordinator, .auditor]

    /// The roles a walk goes through on `runtime`: ``allCases``, then the roles of the runtime's
    /// enabled features' roles documents (a feature's own role), each of which
    /// ``HostFixture/tokensPerRole(_:provider:)`` gives a user and a token.
    package static func walked(in runtime: HostRuntime) -> [Role] {
        allCases + runtime.roles.definitions.map(\.role).filter { !allCases.contains($0) }
    }

    /// Whether the role is scoped, as its roles document says.
    package var isScoped: Bool { HostFixture.roles.definition(of: self)?.isScoped ?? true }
}

extension Permission {
    /// Whether `role` holds the permission in the product with every feature on: granted by the
    /// feature or held through the role's document.
    package func isHeld(by role: Role) -> Bool { HostFixture.roles.permits(role, self) }
}
