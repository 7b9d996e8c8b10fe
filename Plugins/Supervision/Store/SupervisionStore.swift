import DataAccess
import FeatureSupport
import Foundation
import PageKit
import PluginKit
import Registry

/// The supervision feature's records: assignments, handovers, funding pots, sessions, goals and
/// the follow-up over them.
///
/// Like the registry, reads take a ``Reach`` (a supervisor sees the cooperatives its
/// organisation is or was assigned to; anything else answers "not found"), and writes take an
/// actor and a transaction, audit themselves in it and publish their events in it.
struct SupervisionStore: Sendable {
    let registry: Registry
    let events: EventPublisher
    let settings: SupervisionSettings
    /// The municipality's decision letters and case numbers; `nil` where no letter is written
    /// (the store's own tests).
    let letters: DecisionLetters?
    /// The installation's users: who may answer for an assignment or a pot.
    let staff: any StaffDirectory

    var database: Database { registry.database }

    /// Audit rows and events say `supervision`.
    static let feature = "supervision"

    init(registry: Registry, events: EventPublisher, staff: any StaffDirectory, settings: SupervisionSettings, letters: DecisionLetters? = nil) {
        self.registry = registry
        self.staff = staff
        self.events = events
        self.settings = settings
        self.letters = letters
    }

    /// The store of a feature context; the settings come from the enabled plugin.
    init(context: FeatureContext, settings: SupervisionSettings? = nil) throws(KernelServices.Missing) {
        let settings = settings ?? context.plugin(SupervisionPlugin.self)?.settings ?? SupervisionSettings()
        self.init(registry: try context.registry, events: context.events, staff: try context.staff, settings: settings, letters: try context.letters)
    }

    // MARK: - Checks shared by the writes

    /// An organisation named in the input (see ``Registry/referencedOrganisation(_:kind:field:reach:in:)``).
    func organisation(_ id: Int, field: String, reach: Reach, in executor: some SQLExecutor) throws -> Organisation {
        try registry.referencedOrganisation(id, field: field, reach: reach, in: executor)
    }

    /// A cooperative that supervision can be about.
    func cooperative(_ id: Int, field: String, reach: Reach, in executor: some SQLExecutor) throws -> Organisation {
        try registry.referencedOrganisation(id, kind: .cooperative, field: field, reach: reach, in: executor)
    }

    /// Refuses work for an organisation from a day after it was wound up; earlier periods (the
    /// history of a unit that closed later) are fine.
    func checkNotWoundUp(_ organisation: Organisation, on day: LocalDate, field: String) throws(FeatureError) {
        guard organisation.state == .woundUp else { return }
        if let last = organisation.woundUpOn, day <= last { return }
        let since = organisation.woundUpOn.map { " on \($0)" } ?? ""
        throw FeatureError(
            .invalidInput,
            "\(organisation.name) (\(organisation.id)) was wound up\(since), before \(day)",
            field: field,
            wording: Wording("woundUp", ["name": organisation.name, "day": "\(day)"])
        )
    }

    /// A person named in the input.
    func person(_ id: Int, field: String, reach: Reach, in executor: some SQLExecutor) throws -> Person {
        try registry.referencedPerson(id, field: field, reach: reach, in: executor)
    }

    /// Whether `person` holds a role of one of `kinds` in `organisation` on some day of the period.
    func holdsRole(
        _ person: Int,
        in organisation: Int,
        kinds: [RoleKind],
        from: LocalDate,
        to: LocalDate?,
        in executor: some SQLExecutor
    ) throws -> Bool {
        let roles = try registry.roles(ofPerson: person, inOrganisation: organisation, reach: .everything, in: executor)
        return roles.contains { role in
            kinds.contains(role.role) && (to.map { role.from <= $0 } ?? true) && (role.to.map { $0 >= from } ?? true)
        }
    }

    /// Whether `column` (a case number) contains `text`, letter case and runs of spaces ignored.
    static func caseNumberContains(_ text: String, column: SQL) -> SQL {
        "lower(regexp_replace(\(column), '\\s+', ' ', 'g')) LIKE \(SearchText.containsPattern(text))"
    }

    static func share(_ value: Decimal, field: String) throws(FeatureError) -> Decimal {
        guard value > 0, value <= 100 else {
            throw FeatureError(.invalidInput, "must be a share of full time above 0 and at most 100 (percent), not \(value)", field: field)
        }
        return value
    }

    static func period(from: LocalDate, to: LocalDate?, field: String) throws(FeatureError) {
        if let to, to < from {
            throw FeatureError(.invalidInput, "the last day (\(to)) is before the first (\(from))", field: field)
        }
    }
}
