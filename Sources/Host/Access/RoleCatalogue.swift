import DataAccess
import Foundation
import PageKit
import PluginKit
import Synchronization

/// The roles of this installation and the permissions each holds.
///
/// Roles are data: the kernel's `roles.json` (admin, auditor) and each enabled feature's
/// ``FeaturePlugin/rolesDocument`` name them, and the host stores them as rows of `kernel.roles`
/// when it migrates. A role holds the permissions the kernel and the enabled features grant it
/// (``Permission/roles``) and the ones its document says it `holds`. A role stored
/// by a feature that is now switched off stays, as its row says: it holds what the row says it
/// holds of the enabled features (the host reads the rows each time it migrates, at every start).
/// A role no one names is treated as scoped and holds nothing.
package final class RoleCatalogue: Sendable {
    /// One role as its document describes it.
    struct Definition: Sendable, Hashable {
        let role: Role
        /// The role's name in Swedish and English.
        let names: [Language: String]
        /// What a user with the role does, for `kooperator users roles`.
        let summary: String
        /// Whether the role sees only what its organisation is assigned to.
        let isScoped: Bool
        /// Permissions of other features it holds.
        let holds: Set<String>
        /// The feature whose document names it (`kernel` for the host's own).
        let feature: String
    }

    /// A role's entry in a roles document.
    private struct Entry: Decodable {
        var sv: String
        var en: String
        var summary: String?
        var scoped: Bool?
        var holds: [String]?
    }

    /// Every role the documents name, the kernel's first, then each enabled feature's in
    /// dependency order.
    let documented: [Definition]
    /// The permissions of the kernel and the enabled features.
    let permissions: [Permission]
    /// The roles stored by features now switched off, read from `kernel.roles`.
    private let stored = Mutex<[Definition]>([])

    init(documented: [Definition], permissions: [Permission]) {
        self.documented = documented
        self.permissions = permissions
    }

    /// Every role: the documented ones, then those only stored.
    var definitions: [Definition] { documented + stored.withLock { $0 } }

    /// The host's own roles document.
    static let kernelDocument = Bundle.module.url(forResource: "roles", withExtension: "json", subdirectory: "Resources")

    /// Reads the roles documents of the kernel and the enabled features.
    ///
    /// - Returns: The catalogue, and a problem for each document that cannot be read, each role
    ///   named twice or with a bad id, each permission held that no enabled feature declares, and
    ///   each permission granted to a role no document names.
    static func load(features: FeatureSet) -> (RoleCatalogue, [ConfigProblem]) {
        var problems: [ConfigProblem] = []
        var definitions: [Definition] = []
        let documents = [("kernel", kernelDocument)] + features.enabled.map { ($0.id, $0.type.rolesDocument) }
        for (feature, url) in documents {
            guard let url else { continue }
            let keyPath = feature == "kernel" ? "(roles)" : "features.\(feature)"
            let entries: [String: Entry]
            do {
                entries = try JSONDecoder().decode([String: Entry].self, from: Data(contentsOf: url))
            } catch {
                problems.append(
                    ConfigProblem(keyPath: keyPath, message: "its roles document cannot be read: \(error)", origin: url.lastPathComponent)
                )
                continue
            }
            for (id, entry) in entries.sorted(by: { $0.key < $1.key }) {
                if id.wholeMatch(of: /[a-z][a-zA-Z0-9]{0,39}/) == nil {
                    problems.append(ConfigProblem(keyPath: keyPath, message: "role '\(id)': an id is a–z, A–Z and 0–9, starting with a–z"))
                    continue
                }
                if let first = definitions.first(where: { $0.role.rawValue == id }) {
                    problems.append(ConfigProblem(keyPath: keyPath, message: "role '\(id)' is already named by \(first.feature)"))
                    continue
                }
                definitions.append(
                    Definition(
                        role: Role(rawValue: id),
                        names: [.sv: entry.sv, .en: entry.en],
                        summary: entry.summary ?? "",
                        isScoped: entry.scoped ?? false,
                        holds: Set(entry.holds ?? []),
                        feature: feature
                    )
                )
            }
        }
        let permissions = KernelPermissions.all + features.enabled.flatMap(\.plugin.permissions)
        let declared = Set(permissions.map(\.id))
        let enabled = Set(["kernel"] + features.enabled.map(\.id))
        for definition in definitions {
            // A permission of a feature that is switched off is simply not held.
            for id in definition.holds.sorted() where !declared.contains(id) && enabled.contains(String(id.prefix { $0 != "." })) {
                problems.append(
                    ConfigProblem(
                        keyPath: definition.feature == "kernel" ? "(roles)" : "features.\(definition.feature)",
                        message: "role '\(definition.role)' holds '\(id)', which no enabled feature declares"
                    )
                )
            }
        }
        let named = Set(definitions.map(\.role))
        for permission in permissions {
            for role in permission.roles.sorted(by: { $0.rawValue < $1.rawValue }) where !named.contains(role) {
                problems.append(
                    ConfigProblem(
                        keyPath: "(roles)",
                        message: "\(permission.id) is granted to '\(role)', which no enabled feature's roles document names"
                    )
                )
            }
        }
        return (RoleCatalogue(documented: definitions, permissions: permissions), problems)
    }

    /// Adds the stored roles no document names (those of features switched off).
    func adopt(stored rows: [Definition]) {
        let known = Set(documented.map(\.role))
        stored.withLock { $0 = rows.filter { !known.contains($0.role) } }
    }

    /// The role's definition, `nil` for one no enabled feature names.
    func definition(of role: Role) -> Definition? { definitions.first { $0.role == role } }

    /// The ids of the permissions `role` holds: those the kernel and the enabled features grant it,
    /// those its definition says it holds, and one's own settings, which every role holds; none
    /// for a role no one names.
    func permissions(of role: Role) -> Set<String> {
        guard let definition = definition(of: role) else { return [] }
        let declared = Set(permissions.map(\.id))
        return Set(permissions.filter { $0.roles.contains(role) }.map(\.id)).union(definition.holds.intersection(declared))
            .union([KernelPermissions.ownSettings.id])
    }

    /// Whether `role` holds `permission`.
    func permits(_ role: Role, _ permission: Permission) -> Bool { permissions(of: role).contains(permission.id) }

    /// The principal of a user, with its role's scope and permissions.
    func principal(userID: Int, name: String, role: Role, organisationID: Int?) -> Principal {
        let definition = definition(of: role)
        return Principal(
            userID: userID,
            name: name,
            role: role,
            organisationID: organisationID,
            isScoped: definition?.isScoped ?? true,
            permissions: permissions(of: role)
        )
    }

    /// The role ids, for messages: `admin, auditor, officer, …`.
    var ids: String { definitions.map(\.role.rawValue).joined(separator: ", ") }
}

extension RoleCatalogue.Definition: Auditable {
    var auditFields: [String: JSONValue] {
        [
            "nameSv": .string(names[.sv] ?? ""), "nameEn": .string(names[.en] ?? ""), "scoped": .bool(isScoped),
            "holds": .array(holds.sorted().map(JSONValue.string)), "feature": .string(feature),
        ]
    }
}
