import DataAccess

/// The budget and cost categories of the 2014–2020 social fund (DOMAIN.md rule 18).
enum CostCategory: String, Sendable, Hashable, Codable, CaseIterable {
    /// Personal: hours × unit cost.
    case staff
    /// Resor och logi.
    case travelAndLodging
    /// Utrustning, materiel, administration och lokaler.
    case equipmentMaterialAdministrationPremises
    /// Extern sakkunskap och externa tjänster.
    case externalServices
    /// Indirekta kostnader: a flat rate of staff costs, never entered by hand.
    case indirectCosts
    /// Intäkter: income of the project, deducted from the costs.
    case revenue
    /// Finansiering: co-financing in other forms than money (allowances, in-kind time).
    case financing
}

extension CostCategory: SQLEncodable, SQLDecodable {}
