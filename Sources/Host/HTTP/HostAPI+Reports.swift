import CSVKit
import DataAccess
import FeatureSupport
import Foundation
import OpenAPIRuntime
import PageKit
import PluginKit

extension HostAPI {
    func getReport(_ input: Operations.GetReport.Input) async throws -> Operations.GetReport.Output {
        guard let kind = ReportKind(rawValue: input.path.report.rawValue) else {
            throw FeatureError(.invalidInput, "no such report", field: "report")
        }
        let asOf = input.query.asOf ?? LocalDate.today()
        let to = input.query.to ?? asOf.year
        let from = input.query.from ?? (kind == .provider ? to : min(ReportPages.firstYear, to))
        guard from <= to else { throw FeatureError(.invalidInput, "the first year must not be after the last", field: "from") }
        guard to - from < AssembledReport.maximumYears else {
            throw FeatureError(.invalidInput, "a report spans at most \(AssembledReport.maximumYears) years", field: "to")
        }
        if kind == .provider, input.query.provider == nil {
            throw FeatureError(.invalidInput, "a provider's year needs the provider", field: "provider")
        }
        let report = try await reports.report(
            ReportQuery(
                report: kind,
                organisationIDs: input.query.organisation.map { [Int($0)] },
                providerID: input.query.provider.map(Int.init),
                years: from...to,
                asOf: asOf,
                principal: try Caller.current().principal,
                language: .sv
            )
        )
        guard CSV.isRequested(format: input.query.format?.rawValue, accept: input.headers.accept, csv: .csv) else {
            return .ok(.init(body: .json(report)))
        }
        return .ok(.init(headers: .init(contentDisposition: CSV.attachment(filename: report.filename)), body: .csv(HTTPBody(report.csv.text))))
    }
}
