public import DataAccess

/// A new organisation, as the API and the CLI take it.
public struct OrganisationDraft: Sendable, Hashable, Codable {
    /// The name (1–200 characters).
    public var name: String
    /// The organisation number (10 digits, `NNNNNN-NNNN` accepted); optional for a municipal unit.
    public var organisationNumber: String?
    /// The legal form.
    public var legalForm: LegalForm
    /// What it is.
    public var kind: OrganisationKind
    /// `prospect` (the default) or `active`.
    public var state: OrganisationState?
    /// The ASF criteria, for social enterprises.
    public var asf: ASFCriteria?
    /// Contact details.
    public var contact: ContactDetails?

    /// Creates a draft.
    public init(
        name: String,
        organisationNumber: String? = nil,
        legalForm: LegalForm,
        kind: OrganisationKind,
        state: OrganisationState? = nil,
        asf: ASFCriteria? = nil,
        contact: ContactDetails? = nil
    ) {
        self.name = name
        self.organisationNumber = organisationNumber
        self.legalForm = legalForm
        self.kind = kind
        self.state = state
        self.asf = asf
        self.contact = contact
    }
}

/// Changes to an organisation: absent fields stay as they are.
public struct OrganisationPatch: Sendable, Hashable, Codable {
    /// A new name.
    public var name: String?
    /// A new organisation number.
    public var organisationNumber: String?
    /// A new legal form.
    public var legalForm: LegalForm?
    /// A new kind.
    public var kind: OrganisationKind?
    /// New ASF criteria.
    public var asf: ASFCriteria?
    /// New contact details (replace the old ones whole).
    public var contact: ContactDetails?

    /// Creates a patch.
    public init(
        name: String? = nil,
        organisationNumber: String? = nil,
        legalForm: LegalForm? = nil,
        kind: OrganisationKind? = nil,
        asf: ASFCriteria? = nil,
        contact: ContactDetails? = nil
    ) {
        self.name = name
        self.organisationNumber = organisationNumber
        self.legalForm = legalForm
        self.kind = kind
        self.asf = asf
        self.contact = contact
    }
}

/// A change of an organisation's state; winding up needs the day and the reason.
public struct OrganisationStateChange: Sendable, Hashable, Codable {
    /// The new state.
    public var state: OrganisationState
    /// The day it takes effect (required for `woundUp`; default today).
    public var on: LocalDate?
    /// Why (required for `woundUp`).
    public var reason: String?

    /// Creates a change.
    public init(state: OrganisationState, on: LocalDate? = nil, reason: String? = nil) {
        self.state = state
        self.on = on
        self.reason = reason
    }
}
