import DataAccess
import FeatureSupport
import Foundation
import OpenAPIRuntime
import PluginKit

/// The schemas of `Sources/Host/openapi.yaml` are these types (see openapi-generator-config.yaml).
typealias HealthBody = HealthController.Report
typealias HealthPartBody = HealthController.Part
typealias AuditEntryBody = AuditLog.Entry

/// The host's own operations of `Sources/Host/openapi.yaml`: `/health` and the audit log.
struct HostAPI: APIProtocol {
    let health: HealthController
    let log: AuditLog

    /// The URL of the host's API document, shipped as a resource.
    static var document: URL? { Bundle.module.url(forResource: "openapi", withExtension: "yaml") }

    func getHealth(_ input: Operations.GetHealth.Input) async throws -> Operations.GetHealth.Output {
        let report = await health.report()
        guard report.status == "up" else { return .serviceUnavailable(.init(headers: .init(cacheControl: "no-store"), body: .json(report))) }
        return .ok(.init(headers: .init(cacheControl: "no-store"), body: .json(report)))
    }

    func listAuditEntries(_ input: Operations.ListAuditEntries.Input) async throws -> Operations.ListAuditEntries.Output {
        let page = try PageRequest(limit: input.query.limit, cursor: input.query.cursor)
        let query = AuditLog.Query(
            entity: input.query.entity,
            feature: input.query.feature,
            since: input.query.since,
            limit: page.limit + 1,
            beforeID: page.afterID
        )
        return .ok(.init(body: .json(page.page(try await log.entries(query), id: \.id))))
    }
}
