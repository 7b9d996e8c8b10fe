import CSVKit
import DataAccess
import FeatureSupport
import Foundation
import Hummingbird
import PluginKit

/// The parts of the follow-up report as JSON lists and CSV tables.
enum FollowUpCSV {
    enum Part: String, CaseIterable {
        case hours
        case inactive
        case due
    }

    static func json(_ part: Part, of report: FollowUpReport) -> any ResponseGenerator {
        switch part {
        case .hours: Items(items: report.hours)
        case .inactive: Items(items: report.inactive)
        case .due: Items(items: report.due)
        }
    }

    static func csv(_ part: Part, of report: FollowUpReport) -> CSV {
        switch part {
        case .hours:
            var csv = CSV("period", "cooperativeId", "cooperative", "sessions", "hours", "targetHours", "percentOfTarget")
            for row in report.hours {
                csv.add(
                    report.period.label,
                    String(row.cooperativeId),
                    row.cooperativeName,
                    String(row.sessions),
                    "\(row.hours)",
                    row.targetHours.map { "\($0)" } ?? "",
                    row.percentOfTarget.map(String.init) ?? ""
                )
            }
            return csv
        case .inactive:
            var csv = CSV("asOf", "cooperativeId", "cooperative", "lastSessionOn", "days")
            for row in report.inactive {
                csv.add(
                    report.asOf.description,
                    String(row.cooperativeId),
                    row.cooperativeName,
                    row.lastSessionOn?.description ?? "",
                    String(row.days)
                )
            }
            return csv
        case .due:
            var csv = CSV("asOf", "kind", "subjectId", "cooperativeId", "cooperative", "on", "daysLeft", "overdue")
            for row in report.due {
                csv.add(
                    report.asOf.description,
                    row.kind.rawValue,
                    String(row.subjectId),
                    String(row.cooperativeId),
                    row.cooperativeName,
                    row.on.description,
                    String(row.daysLeft),
                    row.overdue ? "yes" : "no"
                )
            }
            return csv
        }
    }
}
