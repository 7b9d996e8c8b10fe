public import DataAccess
import FeatureSupport
public import Foundation
public import Hummingbird
import OpenAPIHummingbird
public import PageKit
public import PluginKit
import Registry
public import ServiceLifecycle

/// The ESF project: participants, the jobs that followed, the indicators, the monthly
/// participant reports to the statistics agency, costs and payment claims (DOMAIN.md rules
/// 12–18, 23–24).
///
/// Feature id `esf`: schema `esf`, routes under `/api/v1/esf`, commands under `kooperator esf`.
/// Settings (`features.esf`): `reminderDays` (14), `reportDueDays` (28), `defaultEUSharePercent`
/// (50), `indicatorSet` (`2014-2020`), `hoursPerYear` (1862), `indirectCostPercent` (15).
public struct ESFProjectPlugin: FeaturePlugin, PageFeature {
    /// `esf`.
    public static let id = "esf"
    /// Shown by `kooperator features`.
    public static let summary = "ESF project: participants, jobs toward the target, indicators, monthly reports, costs and claims, CSV import"
    /// The feature's version.
    public static let version = "1.0.0"

    let settings: ESFSettings

    /// Reads `features.esf`.
    ///
    /// - Parameter settings: The section; out-of-range values are recorded there with their path.
    public init(settings: ConfigSection) throws {
        self.settings = ESFSettings(section: settings)
    }

    /// The schema `esf`.
    public var migrations: [Migration] { ESFMigrations.all }

    /// The feature's permissions and the roles granted them.
    public var permissions: [Permission] { ESFPermissions.all }

    /// The handlers generated from `openapi.yaml`, under `/api/v1/esf`.
    public func addRoutes(to group: RouterGroup<AppRequestContext>, context: FeatureContext) throws {
        try ESFProjectAPI(store: try ESFStore(context: context, settings: settings)).registerHandlers(
            on: APITransport(group),
            configuration: .kooperator
        )
    }

    /// `kooperator esf project|import|indicators|report|reminders`.
    public var commands: [any FeatureCommand.Type] {
        [ProjectCommand.self, ImportCommand.self, IndicatorsCommand.self, MonthlyReportCommand.self, DueReportsCommand.self]
    }

    /// The daily job that raises the monthly-report reminders.
    public func services(context: FeatureContext) throws -> [any Service] {
        let store = try ESFStore(context: context, settings: settings)
        return [
            DailyJob("esf reminders", database: context.database, logger: context.logger) { day, tx in
                try store.raiseReminders(on: day, in: tx)
            }
        ]
    }

    /// The feature's API, `openapi.yaml`: the one source of its routes and of its part of `/openapi.json`.
    public static var apiDocument: URL? { Bundle.module.url(forResource: "openapi", withExtension: "yaml") }

    public static var rolesDocument: URL? { Bundle.module.url(forResource: "roles", withExtension: "json", subdirectory: "Resources") }

    /// The pages at `/esf`: the projects, a project's progress chart, indicators and monthly
    /// reports, its participants; the start page's overdue reports; an organisation's projects and jobs.
    public func pages(context: FeatureContext) throws -> (any PageProvider)? {
        ESFPages(store: try ESFStore(context: context, settings: settings), templates: try PageTemplates(bundle: .module))
    }

    /// The story's project: 200 participants over 2015–2018 and the jobs that followed.
    public func loadDemo(context: FeatureContext) async throws {
        try await ESFDemo.load(into: try ESFStore(context: context, settings: settings))
    }
}

extension ESFProjectPlugin: ReportFeature {
    /// The ESF project's figures for the host's reports: participants, jobs and co-financing.
    public func reportContributor(context: FeatureContext) throws -> (any ReportContributor)? {
        ESFReports(store: try ESFStore(context: context, settings: settings), strings: try PageTemplates(bundle: .module).strings)
    }
}
