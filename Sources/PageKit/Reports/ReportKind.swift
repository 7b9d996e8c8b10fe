/// The reports the host assembles from the features' figures.
public enum ReportKind: String, Sendable, Hashable, CaseIterable, Codable {
    /// Support per organisation over time: supervision hours by provider, study circles and
    /// counted study hours, grants decided and paid by kind, pot spending, ESF participants
    /// and jobs, members and employees, per cooperative and year.
    case support
    /// Before and after: members, employees, ESF jobs and supervision hours per year for the
    /// cooperatives that were under the municipality's own unit, the handover marked.
    case beforeAndAfter
    /// Where the money went: per year and purpose, decided against paid.
    case money
    /// The umbrella association's year: for a provider, its cooperatives, hours against
    /// target, goals met and open, grants received and reports due.
    case provider
}
