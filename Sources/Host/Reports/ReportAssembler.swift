import DataAccess
import Foundation
import PageKit
import PluginKit
import Registry

/// Assembles the reports of `/reports/…` and `/api/v1/reports/{report}` from the enabled
/// features' contributions: it asks every contributor with figures for the report at once,
/// names the parts whose features are switched off, and adds what only the host can say — the
/// organisations' names and the year the municipality's own unit closed. It never reads a
/// feature's schema: every figure comes from the feature that owns it.
struct ReportAssembler: Sendable {
    /// An enabled feature's contributor.
    struct Part: Sendable {
        let featureID: String
        let contributor: any ReportContributor
    }

    let parts: [Part]
    let registry: Registry

    /// The contributors of the enabled features.
    ///
    /// - Throws: When a feature's contributor cannot be made, naming the feature.
    init(runtime: HostRuntime) throws {
        var parts: [Part] = []
        for feature in runtime.features.enabled {
            guard let plugin = feature.plugin as? any ReportFeature else { continue }
            do {
                if let contributor = try plugin.reportContributor(context: runtime.context(for: feature.id)) {
                    parts.append(Part(featureID: feature.id, contributor: contributor))
                }
            } catch {
                throw PageSetupError("the report contributor of the feature \(feature.id) cannot be made: \(error)")
            }
        }
        self.parts = parts
        self.registry = runtime.registry
    }

    /// The report `query` asks for; for the before-and-after report, only the cooperatives
    /// the unit (the query's provider, else the municipal unit that was wound up) supervised,
    /// and the units it could have been about.
    ///
    /// - Throws: ``FeatureError`` for years out of order or too many; a database error.
    func report(_ query: ReportQuery) async throws -> AssembledReport {
        guard query.years.count <= AssembledReport.maximumYears else {
            // The page's form and the API check it first; this guards every other caller.
            throw FeatureError(.invalidInput, "a report spans at most \(AssembledReport.maximumYears) years", field: "to")
        }
        // Asking about an organisation out of reach answers as asking about a missing one.
        let reach = registry.reach(of: query.principal)
        let named = (query.organisationIDs ?? []) + (query.report == .provider ? query.providerID.map { [$0] } ?? [] : [])
        if !named.isEmpty {
            try await registry.database.withConnection { db in
                for id in named { _ = try registry.organisation(id: id, reach: reach, in: db) }
            }
        }
        var query = query
        let unit = try await self.unit(query.report == .provider ? nil : query.providerID)
        if query.report == .beforeAndAfter { query.providerID = unit?.id }
        let asked = parts.filter { $0.contributor.reports.contains(query.report) }
        let figures = try await withThrowingTaskGroup(of: (Int, [ReportFigure]).self) { group in
            for (index, part) in asked.enumerated() {
                let query = query
                group.addTask { (index, try await part.contributor.figures(for: query)) }
            }
            var byPart: [Int: [ReportFigure]] = [:]
            for try await (index, figures) in group { byPart[index] = figures }
            return byPart.sorted { $0.key < $1.key }.flatMap(\.value)
        }
        var report = AssembledReport(
            query: query,
            figures: figures,
            features: asked.map(\.featureID),
            missing: query.report.features.filter { id in !asked.contains { $0.featureID == id } }
        )
        if let unit {
            report.unit = AssembledReport.Organisation(id: unit.id, name: unit.name)
            report.breakYear = unit.woundUpOn?.year
        }
        if query.report == .beforeAndAfter, let unit {
            let supervised = Set(figures.filter { $0.providerID == unit.id }.compactMap(\.organisationID))
            report.figures = figures.filter { $0.organisationID.map(supervised.contains) ?? false }
            // The units to choose from: every provider with cooperatives under it in the years.
            report.units = try await organisations(Set(figures.compactMap(\.providerID)).union([unit.id]).sorted())
        }
        if query.report == .provider, let provider = query.providerID {
            report.provider = try await organisations([provider]).first
        }
        report.organisations = try await organisations(Set(report.figures.compactMap(\.organisationID)).sorted())
        return report
    }

    /// The municipality's own unit: the organisation asked for, else the first municipal unit
    /// that was wound up (the unit the committee closed).
    func unit(_ id: Int?) async throws -> Organisation? {
        try await registry.database.withConnection { db in
            if let id {
                return try registry.organisation(id: id, reach: .everything, in: db)
            }
            let row = try db.queryFirst(
                "SELECT id FROM registry.organisations WHERE legal_form = 'municipalUnit' AND state = 'woundUp' ORDER BY wound_up_on, id LIMIT 1"
            )
            return try row.map { try registry.organisation(id: try $0.decode("id"), reach: .everything, in: db) }
        }
    }

    /// The names of `ids`, in the registry's order of names.
    func organisations(_ ids: [Int]) async throws -> [AssembledReport.Organisation] {
        guard !ids.isEmpty else { return [] }
        return try await registry.database.query(
            "SELECT id, name FROM registry.organisations o WHERE id = ANY(\(ids)) ORDER BY \(SQL.swedish("o.name")), id"
        ).map { AssembledReport.Organisation(id: try $0.decode("id"), name: try $0.decode("name")) }
    }
}
