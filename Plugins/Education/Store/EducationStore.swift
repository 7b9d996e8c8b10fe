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
    init(context: FeatureContext, settings: EducationSettings? = nil) {
        let settings = settings ?? context.plugin(EducationPlugin.self)?.settings ?? EducationSettings()
        self.init(registry: context.registry, events: context.events, settings: settings)
    }

    /// A condition on a circle alias `c` for `reach`.
    static func allows(_ reach: Reach) -> SQL {
        "(\(reach.allowsOrganisation("c.study_association_id")) OR \(reach.allowsOrganisation("c.aims_cooperative_id")))"
    }

    /// An organisation that must exist for a write, of one kind.
    func organisation(_ id: Int, kind: OrganisationKind, field: String, in tx: Transaction) throws -> Organisation {
        let organisation: Organisation
        do {
            organisation = try registry.organisation(id: id, reach: .everything, in: tx)
        } catch let error as FeatureError where error.code == .notFound {
            throw FeatureError(.invalidInput, "no organisation with id \(id)", field: field)
        }
        guard organisation.kind == kind else {
            throw FeatureError(.invalidInput, "\(organisation.name) (\(id)) is a \(organisation.kind.rawValue), not a \(kind.rawValue)", field: field)
        }
        return organisation
    }

    /// A person that must exist for a write.
    func person(_ id: Int, field: String, reach: Reach, in tx: Transaction) throws -> Person {
        do {
            return try registry.person(id: id, reach: reach, in: tx)
        } catch let error as FeatureError where error.code == .notFound {
            throw FeatureError(.invalidInput, "no person with id \(id)", field: field)
        }
    }
}
