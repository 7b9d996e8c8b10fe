/// What an organisation is to the municipality's work.
public enum OrganisationKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// A social work cooperative or another work-integrating social enterprise.
    case cooperative
    /// A social-economy organisation, e.g. the umbrella association of cooperatives.
    case socialEconomyOrganisation
    /// An association (receiver of association grants).
    case association
    /// A study association (studieförbund), co-organiser of study circles.
    case studyAssociation
    /// A public body: the municipality, one of its units, an agency.
    case publicBody
}
