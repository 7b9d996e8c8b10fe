import DataAccess
import FeatureSupport
import Foundation
import PluginKit
import Registry

/// The ESF feature's records: projects, participations, jobs, indicator definitions, monthly
/// reports, costs and claims.
///
/// Writes take an actor and a transaction and audit themselves in it. Participant data is
/// social-services data under secrecy (rule 23): the routes give it only to the roles the
/// feature's permissions name, and the special-category attributes only to the coordinator.
struct ESFStore: Sendable {
    let registry: Registry
    let events: EventPublisher
    /// The installation's users: who may coordinate a project.
    let staff: any StaffDirectory
    let settings: ESFSettings

    var database: Database { registry.database }

    /// Audit rows say `esf`.
    static let feature = "esf"

    init(registry: Registry, events: EventPublisher, staff: any StaffDirectory, settings: ESFSettings) {
        self.registry = registry
        self.staff = staff
        self.events = events
        self.settings = settings
    }

    /// The store of a feature context; the settings come from the enabled plugin.
    init(context: FeatureContext, settings: ESFSettings? = nil) throws(KernelServices.Missing) {
        let settings = settings ?? context.plugin(ESFProjectPlugin.self)?.settings ?? ESFSettings()
        self.init(registry: try context.registry, events: context.events, staff: try context.staff, settings: settings)
    }

    static func period(from: LocalDate, to: LocalDate?, field: String) throws(FeatureError) {
        if let to, to < from {
            throw FeatureError(.invalidInput, "the last day (\(to)) is before the first (\(from))", field: field)
        }
    }

    /// An amount in kronor: at most two decimals, not negative.
    static func amount(_ value: Decimal, field: String) throws(FeatureError) -> Decimal { try Input.amount(value, field: field) }
}
