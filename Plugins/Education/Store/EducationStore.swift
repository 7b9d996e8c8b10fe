import DataAccess
import Foundation
import PluginKit
import Registry

/// The education feature's records: circles, enrolments, meetings and attendance, the grant
/// rules over them and the reports. Reads take a ``Reach`` (a circle is within reach when its
/// study association or the cooperative it aims at is); writes audit themselves and publish in
/// the caller's transaction.
struct EducationStore: Sendable {
    let registry: Registry
    let events: EventPublisher
    let settings: EducationSettings

    var database: Database { registry.database }

    /// Audit rows and events say `education`.
    static let feature = "education"

    init(registry: Registry, events: EventPublisher, settings: EducationSettings) {
        self.registry = registry
        self.events = events
        self.settings = settings
    }

    /// The store of a feature context; the settings come from the enabled plugin.
    init(context: FeatureContext, settings: EducationSettings? = nil) throws(KernelServices.Missing) {
        let settings = settings ?? context.plugin(EducationPlugin.self)?.settings ?? EducationSettings()
        self.init(registry: try context.registry, events: context.events, settings: settings)
    }

    /// A condition on a circle alias `c` for `reach`.
    static func allows(_ reach: Reach) -> SQL {
        "(\(reach.allowsOrganisation("c.study_association_id")) OR \(reach.allowsOrganisation("c.aims_cooperative_id")))"
    }

    /// An organisation of one kind named in the input.
    func organisation(_ id: Int, kind: OrganisationKind, field: String, in tx: Transaction) throws -> Organisation {
        try registry.referencedOrganisation(id, kind: kind, field: field, reach: .everything, in: tx)
    }

    /// A person named in the input.
    func person(_ id: Int, field: String, reach: Reach, in tx: Transaction) throws -> Person {
        try registry.referencedPerson(id, field: field, reach: reach, in: tx)
    }
}
