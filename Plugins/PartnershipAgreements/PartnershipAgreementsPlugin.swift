public import DataAccess
import FeatureSupport
public import Foundation
public import Hummingbird
import OpenAPIHummingbird
public import PageKit
public import PluginKit
import Registry
public import ServiceLifecycle

/// Partnership agreements: idea-based public partnerships (IOP), association grants
/// (föreningsbidrag), framework agreements with the social economy and their action plans,
/// and supervision contracts, with parties, contributions, lifecycles, grant money,
/// documents, reminders and the grant ledger.
///
/// Feature id `partnerships`: schema `partnerships`, routes under `/api/v1/partnerships`,
/// commands under `kooperator partnerships`. Settings (`features.partnerships`):
///
/// | key | default | meaning |
/// |---|---|---|
/// | `reminderDays` | 60 | days before a review, an end or a report date that it is reported due (rule 21) |
/// | `maxAttachmentBytes` | 10485760 | the largest document accepted |
/// | `allowedContentTypes` | PDF, PNG, JPEG, plain text, DOCX, ODT | comma-separated content types documents may have |
///
/// (`reminder_days`, `max_attachment_bytes` and `allowed_content_types` are accepted as well.)
/// It publishes ``AgreementSigned``, ``AgreementEnded`` and ``GrantPaid``, and flags for review
/// the agreements in force of an organisation the registry reports wound up.
public struct PartnershipAgreementsPlugin: FeaturePlugin, PageFeature {
    /// `partnerships`.
    public static let id = "partnerships"
    /// Shown by `kooperator features`.
    public static let summary = "Partnership agreements: IOP, association grants, framework agreements and action plans, follow-up, grant ledger"
    /// The feature's version.
    public static let version = "1.0.0"

    let settings: PartnershipSettings

    /// Reads `features.partnerships`.
    ///
    /// - Parameter settings: The section; out-of-range values are recorded there with their path.
    public init(settings: ConfigSection) throws {
        self.settings = PartnershipSettings(section: settings)
    }

    /// The schema `partnerships`.
    public var migrations: [Migration] { PartnershipMigrations.all }

    /// The feature's permissions and the roles granted them.
    public var permissions: [Permission] { PartnershipPermissions.all }

    /// The handlers generated from `openapi.yaml`, under `/api/v1/partnerships`; a document's
    /// media type passes them through ``DocumentMediaTypes``.
    public func addRoutes(to group: RouterGroup<AppRequestContext>, context: FeatureContext) throws {
        try PartnershipAgreementsAPI(store: try PartnershipStore(context: context, settings: settings)).registerHandlers(
            on: APITransport(group),
            configuration: .kooperator,
            middlewares: [DocumentMediaTypes()]
        )
    }

    /// `kooperator partnerships agreement|grant|follow-up|reminders|ledger`.
    public var commands: [any FeatureCommand.Type] {
        [AgreementCommand.self, GrantCommand.self, FollowUpCommand.self, RemindersCommand<PartnershipStore>.self, LedgerCommand.self]
    }

    /// The daily reminder job.
    public func services(context: FeatureContext) throws -> [any Service] {
        let store = try PartnershipStore(context: context, settings: settings)
        return [
            DailyJob("partnership reminders", database: context.database, logger: context.logger) { day, tx in
                try store.raiseReminders(on: day, in: tx)
            }
        ]
    }

    /// Flags the agreements in force of a wound-up organisation for review (`registry.organisationWoundUp`).
    public func eventSubscriptions(context: FeatureContext) throws -> [EventSubscription] {
        [
            EventSubscription("registry.organisationWoundUp") { envelope, tx in
                // The registry's published payload, decoded into our own type (no import of its event).
                struct WoundUp: Decodable {
                    let organisationId: Int
                    let woundUpOn: LocalDate
                    let reason: String
                }
                let event = try envelope.decode(WoundUp.self)
                _ = try PartnershipStore.organisationWoundUp(event.organisationId, on: event.woundUpOn, reason: event.reason, in: tx)
            }
        ]
    }

    /// The feature's API, `openapi.yaml`: the one source of its routes and of its part of `/openapi.json`.
    public static var apiDocument: URL? { Bundle.module.url(forResource: "openapi", withExtension: "yaml") }

    /// The pages at `/partnerships`: the agreements, an agreement's page with its state form, the
    /// grant ledger; the start page's follow-up items; an organisation's agreements and grants.
    public func pages(context: FeatureContext) throws -> (any PageProvider)? {
        PartnershipPages(store: try PartnershipStore(context: context, settings: settings), templates: try PageTemplates(bundle: .module))
    }

    /// The story: the 2012 framework agreement and its action plan, the association grants of
    /// 2015, the umbrella association's yearly grant, the supervision contract of 2015 and an IOP.
    public func loadDemo(context: FeatureContext) async throws {
        try await PartnershipDemo.load(into: try PartnershipStore(context: context, settings: settings))
    }
}

extension PartnershipAgreementsPlugin: ReportFeature {
    /// Partnerships' figures for the host's reports: grants and agreements decided and paid.
    public func reportContributor(context: FeatureContext) throws -> (any ReportContributor)? {
        PartnershipReports(store: try PartnershipStore(context: context, settings: settings), strings: try PageTemplates(bundle: .module).strings)
    }
}
