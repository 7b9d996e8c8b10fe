import CSVKit
import Foundation
import PageKit

extension AssembledReport {
    /// The figures as a table, one line per figure: the same for the page's download (in the
    /// reader's spreadsheet dialect) and the API's `text/csv` (RFC 4180).
    var csv: CSV {
        var csv = CSV("year", "organisationId", "organisation", "feature", "measure", "label", "breakdown", "stage", "unit", "value")
        let sorted = figures.sorted { ($0.year, name(of: $0.organisationID), $0.measure) < ($1.year, name(of: $1.organisationID), $1.measure) }
        for figure in sorted {
            csv.add(
                String(figure.year),
                figure.organisationID.map(String.init) ?? "",
                name(of: figure.organisationID),
                figure.feature,
                figure.measure,
                figure.label,
                figure.breakdown ?? "",
                figure.stage?.rawValue ?? "",
                figure.unit.rawValue,
                NSDecimalNumber(decimal: figure.value).description(withLocale: nil)
            )
        }
        return csv
    }

    /// The download's file name: `rapport-<report>-<from>-<to>.csv`.
    var filename: String { "rapport-\(report.path)-\(from)-\(to).csv" }
}
