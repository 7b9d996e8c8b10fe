import CSVKit
import DataAccess
import Foundation
import PluginKit

/// The follow-up, the grant ledger and the totals as CSV tables.
enum PartnershipCSV {
    static func followUp(_ report: FollowUp) -> CSV {
        var csv = CSV("asOf", "kind", "agreementId", "agreementKind", "title", "on", "daysLeft", "overdue")
        for row in report.due {
            csv.add(
                report.asOf.description,
                row.kind.rawValue,
                String(row.agreementId),
                row.agreementKind.rawValue,
                row.title,
                row.on.description,
                String(row.daysLeft),
                row.overdue ? "yes" : "no"
            )
        }
        return csv
    }

    /// The ledger; with `remaining`, also what is granted and not yet paid out (the page's download).
    static func ledger(_ lines: [LedgerLine], remaining: Bool = false) -> CSV {
        var csv = CSV(
            ["year", "organisationId", "organisation", "grants", "applied", "granted", "paid", "repaid"] + (remaining ? ["remaining"] : [])
        )
        for line in lines {
            csv.add(
                row: [
                    String(line.year), String(line.organisationId), line.organisationName, String(line.grants), "\(line.applied)", "\(line.granted)",
                    "\(line.paid)", "\(line.repaid)",
                ] + (remaining ? ["\(line.remaining)"] : [])
            )
        }
        return csv
    }

    static func totals(_ totals: [KindTotal]) -> CSV {
        var csv = CSV("year", "kind", "agreements", "money", "inKind", "applied", "granted", "paid", "repaid")
        for total in totals {
            csv.add(
                String(total.year),
                total.kind.rawValue,
                String(total.agreements),
                "\(total.money)",
                "\(total.inKind)",
                "\(total.applied)",
                "\(total.granted)",
                "\(total.paid)",
                "\(total.repaid)"
            )
        }
        return csv
    }
}
