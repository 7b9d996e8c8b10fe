import DataAccess
import Foundation
import PluginKit

/// Responsibility for the education moving to a unit (or any organisation) on a day, from the
/// one that had it: one record, seen on both organisations' pages ("education moved to the unit
/// Support to the social economy"). The first record of all has no organisation it moved from.
struct ResponsibilityMove: Sendable, Hashable, Codable {
    var id: Int
    var fromOrganisationId: Int?
    var toOrganisationId: Int
    var on: LocalDate
    var note: String?
}

/// A move of the responsibility for education, as the API and the forms take it.
struct ResponsibilityMoveDraft: Sendable, Hashable, Codable {
    var fromOrganisationId: Int?
    var toOrganisationId: Int
    var on: LocalDate
    var note: String?
}

extension ResponsibilityMove: Auditable {
    var auditFields: [String: JSONValue] {
        [
            "fromOrganisationId": JSONValue(fromOrganisationId), "toOrganisationId": .int(toOrganisationId),
            "on": .string(on.description), "note": JSONValue(note),
        ]
    }
}

extension ResponsibilityMove {
    static let columns: SQL = "rm.id, rm.from_organisation_id, rm.to_organisation_id, rm.on_date, rm.note"

    init(row: Row) throws {
        self.init(
            id: try row.decode("id"),
            fromOrganisationId: try row.decode("from_organisation_id"),
            toOrganisationId: try row.decode("to_organisation_id"),
            on: try row.decode("on_date"),
            note: try row.decode("note")
        )
    }
}
