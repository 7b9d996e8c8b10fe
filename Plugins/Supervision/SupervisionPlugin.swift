public import DataAccess
import FeatureSupport
public import Foundation
public import Hummingbird
import OpenAPIHummingbird
public import PageKit
public import PluginKit
import Registry
public import ServiceLifecycle

/// Supervision (handledning) of cooperatives: who supervises which cooperative for which
/// provider, handovers between providers, funding pots for a cooperative's own supervisor,
/// sessions and development goals, and the follow-up of hours, inactivity and due dates.
///
/// Feature id `supervision`: schema `supervision`, routes under `/api/v1/supervision`,
/// commands under `kooperator supervision`. Settings (`features.supervision`):
///
/// | key | default | meaning |
/// |---|---|---|
/// | `inactivityDays` | 30 | days without a session before a cooperative is reported inactive |
/// | `reviewReminderDays` | 60 | days before a review date or a pot's end that it is reported due |
///
/// (`inactivity_days` and `review_reminder_days` are accepted as well.) It publishes
/// ``AssignmentStarted``, ``AssignmentEnded`` and ``HandoverCompleted``, and ends the
/// assignments of an organisation the registry reports wound up.
public struct SupervisionPlugin: FeaturePlugin, PageFeature {
    /// `supervision`.
    public static let id = "supervision"
    /// Shown by `kooperator features`.
    public static let summary = "Supervision of cooperatives: assignments, handovers, funding pots, sessions, goals, follow-up"
    /// The feature's version.
    public static let version = "1.0.0"

    let settings: SupervisionSettings

    /// Reads `features.supervision`.
    ///
    /// - Parameter settings: The section; out-of-range values are recorded there with their path.
    public init(settings: ConfigSection) throws {
        self.settings = SupervisionSettings(section: settings)
    }

    /// The schema `supervision`.
    public var migrations: [Migration] { SupervisionMigrations.all }

    /// The feature's permissions and the roles granted them.
    public var permissions: [Permission] { SupervisionPermissions.all }

    /// The handlers generated from `openapi.yaml`, under `/api/v1/supervision`.
    public func addRoutes(to group: RouterGroup<AppRequestContext>, context: FeatureContext) throws {
        try SupervisionAPI(store: try SupervisionStore(context: context, settings: settings)).registerHandlers(
            on: APITransport(group),
            configuration: .kooperator
        )
    }

    /// The pages at `/supervision`: the cooperatives under supervision, a cooperative's page with
    /// the form that logs a session, the handover; reminders for the start page and a section
    /// for the registry's organisation page.
    public func pages(context: FeatureContext) throws -> (any PageProvider)? {
        SupervisionPages(store: try SupervisionStore(context: context, settings: settings), templates: try PageTemplates(bundle: .module))
    }

    /// `kooperator supervision assignment|handover|pot|session|goal|report|reminders`.
    public var commands: [any FeatureCommand.Type] {
        [
            AssignmentCommand.self, HandoverCommand.self, PotCommand.self, SessionCommand.self, GoalCommand.self, ReportCommand.self,
            RemindersCommand<SupervisionStore>.self,
        ]
    }

    /// The daily jobs: reminders, and the upkeep of the providers' reach.
    public func services(context: FeatureContext) throws -> [any Service] {
        let store = try SupervisionStore(context: context, settings: settings)
        return [
            DailyJob("supervision reminders", database: context.database, logger: context.logger) { day, tx in
                try store.raiseReminders(on: day, in: tx)
            },
            DailyJob("supervision reach upkeep", database: context.database, logger: context.logger) { day, tx in
                try store.upkeepScopes(on: day, in: tx)
            },
        ]
    }

    /// Ends the assignments of a wound-up organisation (`registry.organisationWoundUp`).
    public func eventSubscriptions(context: FeatureContext) throws -> [EventSubscription] {
        let store = try SupervisionStore(context: context, settings: settings)
        return [
            EventSubscription("registry.organisationWoundUp") { envelope, tx in
                // The registry's published payload, decoded into our own type (no import of its event).
                struct WoundUp: Decodable {
                    let organisationId: Int
                    let woundUpOn: LocalDate
                    let reason: String
                }
                let event = try envelope.decode(WoundUp.self)
                _ = try store.organisationWoundUp(event.organisationId, on: event.woundUpOn, reason: event.reason, in: tx)
            }
        ]
    }

    /// The feature's API, `openapi.yaml`: the one source of its routes and of its part of `/openapi.json`.
    public static var apiDocument: URL? { Bundle.module.url(forResource: "openapi", withExtension: "yaml") }

    /// The story: the unit's cooperatives under its supervisors, the handover to the umbrella
    /// association in spring 2015, Café Gläntan's own supervisor from a pot, a year of sessions.
    public func loadDemo(context: FeatureContext) async throws {
        try await SupervisionDemo.load(into: try SupervisionStore(context: context, settings: settings))
    }
}

extension SupervisionPlugin: ReportFeature {
    /// Supervision's figures for the host's reports: hours, pots, targets and goals.
    public func reportContributor(context: FeatureContext) throws -> (any ReportContributor)? {
        SupervisionReports(store: try SupervisionStore(context: context, settings: settings), strings: try PageTemplates(bundle: .module).strings)
    }
}
