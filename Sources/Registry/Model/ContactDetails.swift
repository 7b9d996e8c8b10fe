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
}
