import Foundation
import PageKit

/// A report's figures as a table of the page: one row per category (a year, a cooperative),
/// one column per measure, breakdown and stage the figures have, each cell written for the
/// reader (kronor, hours with a decimal comma in Swedish, whole counts).
struct ReportTable {
    /// A column: what its figures share, and its heading.
    struct Column: Hashable {
        let measure: String
        let breakdown: String?
        let stage: ReportFigure.Stage?
        let label: String
        let unit: ReportFigure.Unit
    }

    let columns: [Column]
    let rows: [[String: Any]]

    /// The table of `figures` with a row per category: `category` says which row a figure
    /// belongs to (`nil` leaves it out), `rows` lists the rows' keys and labels in order.
    init(
        figures: [ReportFigure],
        rows categories: [(key: Int, label: String, marked: Bool)],
        category: (ReportFigure) -> Int?,
        order: [String],
        page: PageContext
    ) {
        var columns: [Column] = []
        for figure in figures {
            let column = Column(
                measure: figure.measure,
                breakdown: figure.breakdown,
                stage: figure.stage,
                label: Self.heading(figure, page),
                unit: figure.unit
            )
            if !columns.contains(column) { columns.append(column) }
        }
        func rank(_ column: Column) -> Int { order.firstIndex(of: column.measure) ?? order.count }
        columns = columns.enumerated().sorted { (rank($0.element), $0.offset) < (rank($1.element), $1.offset) }.map(\.element)
        var sums: [Int: [Column: Decimal]] = [:]
        for figure in figures {
            guard let key = category(figure) else { continue }
            let column = Column(
                measure: figure.measure,
                breakdown: figure.breakdown,
                stage: figure.stage,
                label: Self.heading(figure, page),
                unit: figure.unit
            )
            sums[key, default: [:]][column, default: 0] += figure.value
        }
        self.columns = columns
        self.rows = categories.map { category in
            [
                "label": category.label,
                "marked": category.marked,
                "cells": columns.map { column in ["text": Self.text(sums[category.key]?[column] ?? 0, column.unit, page.language)] },
            ]
        }
    }

    /// The column headings for the template.
    var headings: [[String: String]] { columns.map { ["text": $0.label] } }

    /// A figure's heading: its measure, what it is broken down by, and its stage.
    static func heading(_ figure: ReportFigure, _ page: PageContext) -> String {
        var text = figure.label
        if let breakdown = figure.breakdown { text += " – " + breakdown }
        if let stage = figure.stage { text += " (" + page.text("reportStage_" + stage.rawValue) + ")" }
        return text
    }

    /// A value as the reader reads it.
    static func text(_ value: Decimal, _ unit: ReportFigure.Unit, _ language: Language) -> String {
        switch unit {
        case .money:
            return Kronor.text(value, language)
        case .count, .hours:
            let text = NSDecimalNumber(decimal: value).description(withLocale: nil)
            return language == .sv ? text.replacing(".", with: ",") : text
        }
    }
}
