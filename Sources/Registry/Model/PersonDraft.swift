/// A new person, as the API and the CLI take it.
public struct PersonDraft: Sendable, Hashable, Codable {
    /// The name (1–200 characters).
    public var name: String
    /// A personnummer or samordningsnummer: 10 or 12 digits, with or without `-` or `+`.
    public var identityNumber: String?
    /// What the number is said to be; a samordningsnummer (day 61–91) given as a personnummer, or
    /// the other way round, is refused. Absent: either is accepted.
    public var identityKind: IdentityNumber.Kind?
    /// `none` or `protected` when no number is given (default `none`); `number` with one.
    public var identityStatus: IdentityStatus?
    /// Gender (default `unspecified`).
    public var gender: Gender?
    /// Contact details.
    public var contact: ContactDetails?
    /// Roles to give the person at once; a supervisor must give one in an organisation within reach.
    public var roles: [RoleAssignment]?

    /// Creates a draft.
    public init(
        name: String,
        identityNumber: String? = nil,
        identityKind: IdentityNumber.Kind? = nil,
        identityStatus: IdentityStatus? = nil,
        gender: Gender? = nil,
        contact: ContactDetails? = nil,
        roles: [RoleAssignment]? = nil
    ) {
        self.name = name
        self.identityNumber = identityNumber
        self.identityKind = identityKind
        self.identityStatus = identityStatus
        self.gender = gender
        self.contact = contact
        self.roles = roles
    }
}

/// Changes to a person: absent fields stay as they are.
public struct PersonPatch: Sendable, Hashable, Codable {
    /// A new name.
    public var name: String?
    /// A new identity number (corrects a wrong one).
    public var identityNumber: String?
    /// What the new number is said to be (see ``PersonDraft/identityKind``).
    public var identityKind: IdentityNumber.Kind?
    /// A new gender.
    public var gender: Gender?
    /// New contact details (replace the old ones whole).
    public var contact: ContactDetails?

    /// Creates a patch.
    public init(
        name: String? = nil,
        identityNumber: String? = nil,
        identityKind: IdentityNumber.Kind? = nil,
        gender: Gender? = nil,
        contact: ContactDetails? = nil
    ) {
        self.name = name
        self.identityNumber = identityNumber
        self.identityKind = identityKind
        self.gender = gender
        self.contact = contact
    }
}
