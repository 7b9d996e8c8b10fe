public import DataAccess
public import Foundation

/// A person in the registry. The identity number is never held in full here: only its masked
/// form (`19850101-****`); the full number stays sealed in the database.
public struct Person: Sendable, Hashable, Codable {
    /// The registry id.
    public let id: Int
    /// The person's name (a pseudonym after erasure).
    public var name: String
    /// The identity number masked (`YYYYMMDD-****`), when one is on record.
    public var identityNumber: String?
    /// Whether and how the person is identified.
    public var identityStatus: IdentityStatus
    /// Personnummer or samordningsnummer, when a number is on record.
    public var identityKind: IdentityNumber.Kind?
    /// The birth date from the identity number, for ages in reports.
    public var birthDate: LocalDate?
    /// Gender, for gender-split reports.
    public var gender: Gender
    /// Contact details.
    public var contact: ContactDetails
    /// When the identifying data was erased, if it was.
    public var erasedAt: Date?
    /// When the person was registered.
    public var createdAt: Date
    /// When the person was last changed.
    public var updatedAt: Date

    /// Creates a person value (the registry does this from a row).
    public init(
        id: Int,
        name: String,
        identityNumber: String?,
        identityStatus: IdentityStatus,
        identityKind: IdentityNumber.Kind?,
        birthDate: LocalDate?,
        gender: Gender,
        contact: ContactDetails,
        erasedAt: Date?,
        createdAt: Date,
        updatedAt: Date
    ) {
        self.id = id
        self.name = name
        self.identityNumber = identityNumber
        self.identityStatus = identityStatus
        self.identityKind = identityKind
        self.birthDate = birthDate
        self.gender = gender
        self.contact = contact
        self.erasedAt = erasedAt
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// The person's age in whole years on `date`, when the birth date is known.
    public func age(on date: LocalDate) -> Int? {
        guard let birthDate else { return nil }
        var age = date.year - birthDate.year
        if (date.month, date.day) < (birthDate.month, birthDate.day) { age -= 1 }
        return age
    }
}
