public import DataAccess
public import Foundation
public import PluginKit

/// An organisation in the registry: a cooperative, a social-economy organisation, an
/// association, a study association or a public body.
public struct Organisation: Sendable, Hashable, Codable {
    /// The registry id.
    public let id: Int
    /// The organisation's name.
    public var name: String
    /// The organisation number; `nil` for a unit without its own (a municipal unit).
    public var organisationNumber: OrganisationNumber?
    /// The legal form.
    public var legalForm: LegalForm
    /// What it is to the municipality's work.
    public var kind: OrganisationKind
    /// Where it is in its life.
    public var state: OrganisationState
    /// The day it was wound up.
    public var woundUpOn: LocalDate?
    /// Why it was wound up.
    public var woundUpReason: String?
    /// The ASF criteria, when recorded (social enterprises).
    public var asf: ASFCriteria?
    /// The criteria assessed: whether all hold, and what to look at.
    public var asfAssessment: ASFAssessment? { asf.map(ASFAssessment.init) }
    /// Contact details.
    public var contact: ContactDetails
    /// When it was registered.
    public var createdAt: Date
    /// When it was last changed.
    public var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, name, organisationNumber, legalForm, kind, state, woundUpOn, woundUpReason, asf, asfAssessment, contact, createdAt,
            updatedAt
    }

    /// Creates an organisation value (the registry does this from a row).
    public init(
        id: Int,
        name: String,
        organisationNumber: OrganisationNumber?,
        legalForm: LegalForm,
        kind: OrganisationKind,
        state: OrganisationState,
        woundUpOn: LocalDate?,
        woundUpReason: String?,
        asf: ASFCriteria?,
        contact: ContactDetails,
        createdAt: Date,
        updatedAt: Date
    ) {
        self.id = id
        self.name = name
        self.organisationNumber = organisationNumber
        self.legalForm = legalForm
        self.kind = kind
        self.state = state
        self.woundUpOn = woundUpOn
        self.woundUpReason = woundUpReason
        self.asf = asf
        self.contact = contact
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// Decodes an organisation (the assessment is recomputed, not read).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            id: try container.decode(Int.self, forKey: .id),
            name: try container.decode(String.self, forKey: .name),
            organisationNumber: try container.decodeIfPresent(OrganisationNumber.self, forKey: .organisationNumber),
            legalForm: try container.decode(LegalForm.self, forKey: .legalForm),
            kind: try container.decode(OrganisationKind.self, forKey: .kind),
            state: try container.decode(OrganisationState.self, forKey: .state),
            woundUpOn: try container.decodeIfPresent(LocalDate.self, forKey: .woundUpOn),
            woundUpReason: try container.decodeIfPresent(String.self, forKey: .woundUpReason),
            asf: try container.decodeIfPresent(ASFCriteria.self, forKey: .asf),
            contact: try container.decodeIfPresent(ContactDetails.self, forKey: .contact) ?? ContactDetails(),
            createdAt: try container.decode(Date.self, forKey: .createdAt),
            updatedAt: try container.decode(Date.self, forKey: .updatedAt)
        )
    }

    /// Encodes the organisation with its ASF assessment.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encodeIfPresent(organisationNumber, forKey: .organisationNumber)
        try container.encode(legalForm, forKey: .legalForm)
        try container.encode(kind, forKey: .kind)
        try container.encode(state, forKey: .state)
        try container.encodeIfPresent(woundUpOn, forKey: .woundUpOn)
        try container.encodeIfPresent(woundUpReason, forKey: .woundUpReason)
        try container.encodeIfPresent(asf, forKey: .asf)
        try container.encodeIfPresent(asfAssessment, forKey: .asfAssessment)
        try container.encode(contact, forKey: .contact)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
    }
}

/// The ASF criteria assessed.
public struct ASFAssessment: Sendable, Hashable, Codable {
    /// No public owner and no publicly employed supervisor.
    public let independentOfPublicSector: Bool
    /// All four criteria hold.
    public let meetsAllCriteria: Bool
    /// Unmet criteria and a wage spread over 2.5 ×.
    public let warnings: [String]

    init(_ criteria: ASFCriteria) {
        independentOfPublicSector = criteria.independentOfPublicSector
        meetsAllCriteria = criteria.meetsAllCriteria
        warnings = criteria.warnings
    }
}

extension Organisation: Auditable {
    /// Every field; an organisation holds no personal data.
    public var auditFields: [String: JSONValue] {
        var fields: [String: JSONValue] = [
            "name": .string(name),
            "organisationNumber": JSONValue(describing: organisationNumber),
            "legalForm": .string(legalForm.rawValue),
            "kind": .string(kind.rawValue),
            "state": .string(state.rawValue),
            "woundUpOn": JSONValue(describing: woundUpOn),
            "woundUpReason": JSONValue(woundUpReason),
            "email": JSONValue(contact.email),
            "phone": JSONValue(contact.phone),
            "address": JSONValue(contact.address),
        ]
        if let asf {
            fields["asf"] = [
                "integratesPeopleFarFromWork": .bool(asf.integratesPeopleFarFromWork),
                "participationThroughOwnership": .bool(asf.participationThroughOwnership),
                "profitsMainlyReinvested": .bool(asf.profitsMainlyReinvested),
                "hasPublicOwner": .bool(asf.hasPublicOwner),
                "hasPubliclyEmployedSupervisor": .bool(asf.hasPubliclyEmployedSupervisor),
                "highestMonthlyWage": JSONValue(asf.highestMonthlyWage),
                "lowestMonthlyWage": JSONValue(asf.lowestMonthlyWage),
            ]
        } else {
            fields["asf"] = .null
        }
        return fields
    }
}
