package import ESFProject
package import PluginKit
package import Registry

@testable package import Host

extension HostFixture {
    /// The roles of the product with every feature on, as the host reads them.
    package static let roles: RoleCatalogue = {
        let features = "supervision: { enabled: true }\neducation: { enabled: true }\nesf: { enabled: true }\npartnerships: { enabled: true }"
        let (loaded, _) = try! HostFixture.configuration(yaml(url: "postgresql://localhost/none", features: features), plugins: AvailablePlugins.all)
        return loaded!.roles
    }()
}

extension Role {
    /// The roles the walks go through, in the order they always have; `rolesAreData` checks
    /// that they are the product's roles.
    package static let allCases: [Role] = [.admin, .officer, .supervisor, .coordinator, .auditor]

    /// Whether the role is scoped, as its roles document says.
    package var isScoped: Bool { HostFixture.roles.definition(of: self)?.isScoped ?? true }
}

extension Permission {
    /// Whether `role` holds the permission in the product with every feature on: granted by the
    /// feature or held through the role's document.
    package func isHeld(by role: Role) -> Bool { HostFixture.roles.permits(role, self) }
}
