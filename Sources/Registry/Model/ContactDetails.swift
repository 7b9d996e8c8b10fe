/// How to reach a person or an organisation.
public struct ContactDetails: Sendable, Hashable, Codable {
    /// An e-mail address.
    public var email: String?
    /// A telephone number.
    public var phone: String?
    /// A postal address, one line.
    public var address: String?

    /// Creates contact details.
    public init(email: String? = nil, phone: String? = nil, address: String? = nil) {
        self.email = email
        self.phone = phone
        self.address = address
    }

    /// Details from command-line options: `nil` when none was given (the old details stay),
    /// else the given ones replace them whole.
    static func replacing(email: String?, phone: String?, address: String?) -> ContactDetails? {
        [email, phone, address].allSatisfy { $0 == nil } ? nil : ContactDetails(email: email, phone: phone, address: address)
    }
}
