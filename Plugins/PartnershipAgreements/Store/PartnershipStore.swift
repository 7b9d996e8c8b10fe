import DataAccess
import FeatureSupport
import Foundation
import PageKit
import PluginKit
import Registry

/// The partnership feature's records: agreements and grants with their parties,
/// contributions, state changes, payments, reports, repayment claims, action plans and
/// documents, and the follow-up over them.
///
/// Reads take a ``Reach``: an agreement is within a scoped user's reach when one of its parties
/// is; anything else answers "not found". Writes take an actor and a transaction, audit
/// themselves in it and publish their events in it.
struct PartnershipStore: Sendable {
    let registry: Registry
    let events: EventPublisher
    /// The installation's users: who may answer for an agreement.
    let staff: any StaffDirectory
    let settings: PartnershipSettings
    /// The municipality's letters and case numbers; `nil` only for a store a test makes without
    /// them, which then records decisions without letters.
    let letters: DecisionLetters?

    var database: Database { registry.database }

    /// Audit rows and events say `partnerships`.
    static let feature = "partnerships"

    init(registry: Registry, events: EventPublisher, staff: any StaffDirectory, settings: PartnershipSettings, letters: DecisionLetters? = nil) {
        self.registry = registry
        self.staff = staff
        self.events = events
        self.settings = settings
        self.letters = letters
    }

    /// The store of a feature context; the settings come from the enabled plugin.
    init(context: FeatureContext, settings: PartnershipSettings? = nil) throws(KernelServices.Missing) {
        let settings = settings ?? context.plugin(PartnershipAgreementsPlugin.self)?.settings ?? PartnershipSettings()
        self.init(registry: try context.registry, events: context.events, staff: try context.staff, settings: settings, letters: try context.letters)
    }

    /// A condition on an agreement alias `a`: one of its parties is within reach.
    static func allows(_ reach: Reach) -> SQL {
        if reach == .everything { return "TRUE" }
        return "EXISTS (SELECT 1 FROM partnerships.parties rp WHERE rp.agreement_id = a.id AND \(reach.allowsOrganisation("rp.organisation_id")))"
    }

    /// Checks a period: the end, when given, is not before the start.
    static func period(from: LocalDate, to: LocalDate?, field: String) throws(FeatureError) {
        if let to, to < from {
            throw FeatureError(.invalidInput, "the last day (\(to)) is before the first (\(from))", field: field)
        }
    }
}
