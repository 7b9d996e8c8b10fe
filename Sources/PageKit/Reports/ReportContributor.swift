/// What one feature gives to a report: its figures, computed in its own store against its own
/// schema (and the registry's), with the caller's reach applied there — a supervisor's query
/// yields only the organisations its provider is assigned. The host never reads a feature's
/// schema; it only adds up and lays out what the contributors return.
public protocol ReportContributor: Sendable {
    /// The reports this feature has figures for; the host asks only these, and names the
    /// enabled features it asked in the report.
    var reports: Set<ReportKind> { get }

    /// The feature's figures for `query`.
    ///
    /// - Parameter query: The report, the organisations or provider, the years, the day it is
    ///   read on, and the caller (whose reach bounds the figures).
    /// - Returns: One figure per organisation (or none), year, measure and breakdown; figures
    ///   that would be zero may be left out.
    /// - Throws: A database error.
    func figures(for query: ReportQuery) async throws -> [ReportFigure]
}
