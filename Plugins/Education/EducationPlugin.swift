public import DataAccess
import FeatureSupport
public import Foundation
public import Hummingbird
import OpenAPIHummingbird
public import PageKit
public import PluginKit
import Registry

/// Education: study circles that form cooperatives. Circles of a study association with a
/// leader and an assisting supervisor, enrolments, meetings and attendance, the study
/// associations' grant rules as checks (DOMAIN.md rules 6–11), reports and the attendance list.
///
/// Feature id `education`: schema `education`, routes under `/api/v1/education`, commands under
/// `kooperator education`. Settings (`features.education`), the rules' numbers: `hourMinutes`
/// (45), `minPresent` (3), `maxPresent` (20), `minMeetings` (3), `minStudyHours` (9),
/// `maxHoursPerMeeting` (4), `maxMeetingsPerWeek` (3), `maxHoursPerYear` (480),
/// `minMeetingsAttended` (3), `firstMeetings` (3), `minAge` (13).
///
/// It publishes ``CircleFormedCooperative`` when a completed circle formed a cooperative, and
/// listens to `registry.personErased`.
public struct EducationPlugin: FeaturePlugin, PageFeature {
    /// `education`.
    public static let id = "education"
    /// Shown by `kooperator features`.
    public static let summary = "Study circles: meetings, attendance, the grant rules, reports, circles that form cooperatives"
    /// The feature's version.
    public static let version = "1.0.0"

    let settings: EducationSettings

    /// Reads `features.education`.
    ///
    /// - Parameter settings: The section; out-of-range values are recorded there with their path.
    public init(settings: ConfigSection) throws {
        self.settings = EducationSettings(section: settings)
    }

    /// The schema `education`.
    public var migrations: [Migration] { EducationMigrations.all }

    /// The feature's permissions and the roles granted them.
    public var permissions: [Permission] { EducationPermissions.all }

    /// The handlers generated from `openapi.yaml`, under `/api/v1/education`.
    ///
    /// - Parameters:
    ///   - group: The router group for `/api/v1/education`, guarded by the host's operation middleware.
    ///   - context: The database, logger and event publisher of the feature.
    /// - Throws: Any error registering the generated handlers; the host does not start then.
    public func addRoutes(to group: RouterGroup<AppRequestContext>, context: FeatureContext) throws {
        try EducationAPI(store: try EducationStore(context: context, settings: settings)).registerHandlers(
            on: APITransport(group),
            configuration: .kooperator
        )
    }

    /// The pages at `/education`: the circles, a circle's page with its attendance grid and the
    /// grant rules checked; circles needing attention for the start page and a section for the
    /// registry's organisation page.
    public func pages(context: FeatureContext) throws -> (any PageProvider)? {
        EducationPages(store: try EducationStore(context: context, settings: settings), templates: try PageTemplates(bundle: .module))
    }

    /// Forgets the verdicts that name an erased person (`registry.personErased`).
    public func eventSubscriptions(context: FeatureContext) throws -> [EventSubscription] {
        let store = try EducationStore(context: context, settings: settings)
        return [
            EventSubscription("registry.personErased") { envelope, tx in
                // The registry's published payload, decoded into our own type.
                struct Erased: Decodable { let personId: Int }
                _ = try store.personErased(try envelope.decode(Erased.self).personId, in: tx)
            }
        ]
    }

    /// `kooperator education circle|check|report`.
    public var commands: [any FeatureCommand.Type] { [CircleCommand.self, CheckCommand.self, PeriodReportCommand.self] }

    /// The feature's API, `openapi.yaml`: the one source of its routes and of its part of `/openapi.json`.
    public static var apiDocument: URL? { Bundle.module.url(forResource: "openapi", withExtension: "yaml") }

    /// The story's early years: three circles in 2001–2003, one of which formed the first cooperative.
    public func loadDemo(context: FeatureContext) async throws {
        try await EducationDemo.load(into: try EducationStore(context: context, settings: settings))
    }
}

extension EducationPlugin: ReportFeature {
    /// Education's figures for the host's reports: circles and study hours per cooperative.
    public func reportContributor(context: FeatureContext) throws -> (any ReportContributor)? {
        EducationReports(store: try EducationStore(context: context, settings: settings), strings: try PageTemplates(bundle: .module).strings)
    }
}
