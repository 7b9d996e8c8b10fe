/// Where an organisation is in its life: prospect → active → wound up.
public enum OrganisationState: String, Sendable, Hashable, Codable, CaseIterable {
    /// Being formed (e.g. by a study circle); not yet trading.
    case prospect
    /// Running.
    case active
    /// Wound up (avvecklad), with a date and a reason.
    case woundUp

    /// The states this one may change to. A prospect that never starts may be wound up directly.
    public var allowedNext: Set<OrganisationState> {
        switch self {
        case .prospect: [.active, .woundUp]
        case .active: [.woundUp]
        case .woundUp: []
        }
    }
}
