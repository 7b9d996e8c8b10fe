import DataAccess
import Foundation
import PageKit

/// A report as the host assembled it: the figures of every feature that answered, the parts
/// missing because their features are switched off, the organisations named, and the year the
/// municipality's own unit closed (the break the charts mark). The API's `Report` schema.
struct AssembledReport: Codable, Sendable, Hashable {
    /// An organisation the figures name.
    struct Organisation: Codable, Sendable, Hashable {
        let id: Int
        let name: String
    }

    /// The most years a report spans (the unit's fourteen years and more fit).
    static let maximumYears = 40

    /// Which report.
    let report: ReportKind
    /// The first and last year.
    let from: Int
    let to: Int
    /// The day it was read on.
    let asOf: LocalDate
    /// The organisation asked about, when one was.
    let organisationId: Int?
    /// The features that gave figures.
    let features: [String]
    /// The features whose parts are missing because they are switched off.
    let missing: [String]
    /// The figures.
    var figures: [ReportFigure]
    /// The organisations the figures name, by name.
    var organisations: [Organisation] = []
    /// The municipality's own unit, when there is one.
    var unit: Organisation?
    /// The year the unit closed.
    var breakYear: Int?
    /// The provider of the umbrella association's year.
    var provider: Organisation?
    /// For the before-and-after report, the units it can be about: every organisation with
    /// cooperatives under it (an assignment or supervision hours) in the years, by name.
    var units: [Organisation]?

    init(query: ReportQuery, figures: [ReportFigure], features: [String], missing: [String]) {
        report = query.report
        from = query.years.lowerBound
        to = query.years.upperBound
        asOf = query.asOf
        organisationId = query.organisationIDs?.first
        self.figures = figures
        self.features = features
        self.missing = missing
    }

    /// The name of organisation `id`.
    func name(of id: Int?) -> String {
        guard let id else { return "" }
        return organisations.first { $0.id == id }?.name ?? String(id)
    }

    /// The sum of the figures `matching` in `year`.
    func total(in year: Int, where matching: (ReportFigure) -> Bool) -> Decimal {
        figures.filter { $0.year == year && matching($0) }.reduce(0) { $0 + $1.value }
    }
}
