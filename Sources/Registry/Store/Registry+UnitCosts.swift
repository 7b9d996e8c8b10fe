public import DataAccess
import FeatureSupport
import Foundation
public import PluginKit

extension Registry {
    /// Enters what the municipality spent on its own unit in a year, replacing what was entered
    /// for that year before; audited with the amount before and after.
    ///
    /// - Parameters:
    ///   - id: The unit: an organisation of legal form ``LegalForm/municipalUnit``.
    ///   - entry: The year and the amount.
    ///   - reach: The caller's reach; an organisation outside it answers as a missing one.
    ///   - actor: Who enters it.
    ///   - tx: The transaction.
    /// - Returns: The cost as entered.
    /// - Throws: ``FeatureError`` `.notFound` outside reach, `.invalidInput` naming `/year` or
    ///   `/amount`, `.conflict` for an organisation that is not a municipal unit.
    public func setUnitCost(ofOrganisation id: Int, _ entry: UnitCostEntry, reach: Reach, actor: Actor, in tx: Transaction) throws -> UnitCost {
        let year = try Input.number(entry.year, field: "/year", in: 1900...2199)
        let amount = try Input.amount(entry.amount, field: "/amount")
        let organisation = try lockedOrganisation(id: id, reach: reach, in: tx)
        guard organisation.legalForm == .municipalUnit else {
            throw FeatureError(.conflict, "only a unit of the municipality (legal form municipalUnit) has a yearly cost of its own")
        }
        let before = try tx.queryFirst(
            "SELECT \(UnitCost.columns) FROM registry.unit_costs WHERE organisation_id = \(id) AND year = \(year)"
        ).map(UnitCost.init(row:))
        let row = try tx.query(
            """
            INSERT INTO registry.unit_costs (organisation_id, year, amount) VALUES (\(id), \(year), \(amount))
            ON CONFLICT (organisation_id, year) DO UPDATE SET amount = EXCLUDED.amount, updated_at = now()
            RETURNING \(UnitCost.columns)
            """
        ).single()
        let cost = try UnitCost(row: row)
        try tx.audit(actor, feature: Self.feature, entity: "unitCost", id: "\(id)/\(year)", action: "set", before: before, after: cost)
        return cost
    }
}
