public import Foundation

/// A horizontal bar chart as the shared `barChart` partial draws it: server-rendered SVG, no
/// script, with a title and a description (`role="img"`), and the same figures in a table beside
/// it, so nothing is only in the picture. One group of bars per category (a cost category, an
/// indicator, a year), its series side by side (figures to compare) or stacked (the parts of a
/// whole, such as the money of a year by purpose). A place between two groups can be marked (the
/// year the municipality's unit closed) with a dashed line and a label, in the chart and the table.
///
/// It reads in greyscale: each series has a fill that differs in pattern as well as in shade
/// (solid, hatched, dotted, crossed …), the legend names each with its pattern, and every bar
/// carries its figure as text (side by side at its end, stacked in its tooltip and the table). A
/// value the reader may not see exactly (`< 5`) has no bar, only its text.
///
/// ```swift
/// let chart = BarChart(
///     id: "budget-chart", title: "Budget and outcome", description: "…", groupHeader: "Category",
///     series: ["Budget", "Outcome"],
///     groups: [.init(label: "Staff", values: [21_400_000, 154_995.53], texts: ["21 400 000 kr", "154 995,53 kr"])]
/// )
/// // {{#chart}}{{> barChart}}{{/chart}}
/// let money = BarChart(
///     id: "money-chart", title: "Paid per year", description: "…", groupHeader: "Year", series: purposes,
///     groups: years, stacked: true, marker: .init(after: 14, label: "The unit closed 2014")
/// )
/// ```
public struct BarChart: Sendable {
    /// One category of the chart: a bar (or a part of the stacked bar) per series.
    public struct Group: Sendable {
        /// The category's name, beside its bars and in the table's first column.
        public var label: String
        /// A value per series; `nil` draws no bar (a suppressed or missing figure).
        public var values: [Double?]
        /// The figure per series as the reader reads it ("1 234 kr", "< 5"), at the bar's end
        /// (in its tooltip when stacked) and in the table.
        public var texts: [String]

        /// Creates a group.
        ///
        /// - Parameters:
        ///   - label: The category's name.
        ///   - values: A value per series, `nil` for none.
        ///   - texts: The figure per series as text.
        public init(label: String, values: [Double?], texts: [String]) {
            (self.label, self.values, self.texts) = (label, values, texts)
        }
    }

    /// A marked place between two groups (the end of the year the municipality's unit closed):
    /// a dashed line across the chart with a label, and the table's next row set off.
    public struct Marker: Sendable {
        /// The index of the group after which the line stands.
        public var after: Int
        /// What happened then.
        public var label: String

        /// Creates a marker after the group at index `after`.
        public init(after: Int, label: String) {
            (self.after, self.label) = (after, label)
        }
    }

    /// A bar (or a stacked bar's part) as the template draws it.
    struct Bar: Sendable {
        let x: String
        let y: String
        let width: String
        let height: String
        let patternID: String
        let textX: String
        let textY: String
        /// The figure at the bar's end; empty in a stacked bar (its parts have no room).
        let text: String
        let tooltip: String
    }

    /// A group's label and bars, laid out.
    struct GroupLayout: Sendable {
        let label: String
        /// The label beside the bars, shortened to fit (the table has it whole).
        let chartLabel: String
        let labelY: String
        let bars: [Bar]
        /// The table row: the label, then each series' figure.
        let cells: [String]
        /// Whether the marker stands just before this group (the table sets the row off).
        let marked: Bool
    }

    /// A series' pattern and legend entry.
    struct Style: Sendable {
        let patternID: String
        let fill: String
        let marks: String
        let label: String
        let x: String
        let y: String
        let textX: String
        let textY: String
    }

    /// A labelled mark on the value axis.
    struct Tick: Sendable {
        let x: String
        let label: String
    }

    let id: String
    let width = 640
    let height: Int
    let title: String
    let description: String
    let groupHeader: String
    let headers: [String]
    let groups: [GroupLayout]
    let styles: [Style]
    let ticks: [Tick]
    let axisX1: String
    let axisY1: String
    let axisY2: String
    let tickLabelY: String
    let marker: [String: String]?

    static let labelWidth = 200.0, right = 70.0, top = 12.0, barHeight = 14.0, groupGap = 12.0

    /// The shades and patterns of the series in turn: distinct in lightness and marked
    /// differently, so no two look alike in greyscale.
    static let looks: [(fill: String, marks: String)] = [
        ("#1d4f91", ""),
        ("#ffffff", ##"<path d="M0,8 L8,0 M-2,2 L2,-2 M6,10 L10,6" stroke="#333" stroke-width="2" />"##),
        ("#c8c8c8", ""),
        ("#ffffff", ##"<circle cx="4" cy="4" r="1.6" fill="#333" />"##),
        ("#8a1c1c", ##"<path d="M0,4 H8" stroke="#fff" stroke-width="1.5" />"##),
        ("#f2c14e", ##"<path d="M0,0 L8,8 M0,8 L8,0" stroke="#222" stroke-width="1" />"##),
        ("#555555", ""),
        ("#ffffff", ##"<path d="M4,0 V8" stroke="#222" stroke-width="1.5" />"##),
    ]

    /// Lays out a chart.
    ///
    /// - Parameters:
    ///   - id: The chart's element id (unique on the page); its title, description, table and
    ///     patterns take ids from it.
    ///   - title: The chart's title (`<title>` and the table's caption).
    ///   - description: What it shows, with its figures (`<desc>` and the caption).
    ///   - groupHeader: The table's first column's header.
    ///   - series: The series' names, in the order of each group's values (eight patterns, then
    ///     again).
    ///   - groups: The categories, top first.
    ///   - stacked: Whether a group's series stand on each other in one bar (the parts of a
    ///     whole) rather than side by side.
    ///   - marker: A place between two groups to mark, if any.
    public init(
        id: String,
        title: String,
        description: String,
        groupHeader: String,
        series: [String],
        groups: [Group],
        stacked: Bool = false,
        marker: Marker? = nil
    ) {
        self.id = id
        self.title = title
        self.description = description
        self.groupHeader = groupHeader
        headers = series
        func f(_ value: Double) -> String { String(format: "%.1f", value) }
        func value(_ group: Group, _ s: Int) -> Double? { s < group.values.count ? group.values[s].map { max($0, 0) } : nil }
        func text(_ group: Group, _ s: Int) -> String { s < group.texts.count ? group.texts[s] : "" }
        let largest =
            groups.map { group in
                let values = series.indices.compactMap { value(group, $0) }
                return stacked ? values.reduce(0, +) : values.max() ?? 0
            }.max() ?? 0
        let step = Self.niceStep(max(largest, 1) / 4)
        let maximum = (max(largest, 1) / step).rounded(.up) * step
        let plotWidth = Double(width) - Self.labelWidth - Self.right
        func x(_ value: Double) -> Double { Self.labelWidth + plotWidth * value / maximum }
        let rows = stacked ? 1 : max(series.count, 1)
        let groupHeight = Double(rows) * (Self.barHeight + 2) + Self.groupGap
        let markedIndex = marker.map { $0.after + 1 }
        self.groups = groups.enumerated().map { index, group in
            let top = Self.top + Double(index) * groupHeight
            var base = 0.0
            let bars = series.indices.compactMap { s -> Bar? in
                let amount = value(group, s)
                let y = top + Double(stacked ? 0 : s) * (Self.barHeight + 2)
                if stacked && (amount ?? 0) == 0 { return nil }
                let start = stacked ? base : 0
                let end = start + (amount ?? 0)
                if stacked { base = end }
                return Bar(
                    x: f(x(start)),
                    y: f(y),
                    width: f(x(end) - x(start)),
                    height: f(Self.barHeight),
                    patternID: "\(id)-p\(s % Self.looks.count)",
                    textX: f(x(end) + 4),
                    textY: f(y + Self.barHeight - 3),
                    text: stacked ? "" : text(group, s),
                    tooltip: "\(group.label), \(series[s]): \(text(group, s))"
                )
            }
            return GroupLayout(
                label: group.label,
                chartLabel: group.label.count > 30 ? group.label.prefix(29) + "…" : group.label,
                labelY: f(top + (groupHeight - Self.groupGap) / 2 + 4),
                bars: bars,
                cells: series.indices.map { text(group, $0) },
                marked: index == markedIndex
            )
        }
        let plotBottom = Self.top + Double(groups.count) * groupHeight
        axisX1 = f(Self.labelWidth)
        axisY1 = f(Self.top - 4)
        axisY2 = f(plotBottom)
        tickLabelY = f(plotBottom + 14)
        ticks = stride(from: 0.0, through: maximum, by: step).map { Tick(x: f(x($0)), label: Self.tickLabel($0)) }
        if let marker, groups.indices.contains(marker.after), marker.after + 1 < groups.count {
            let y = Self.top + Double(marker.after + 1) * groupHeight - Self.groupGap / 2
            self.marker = [
                "x1": f(10), "x2": f(Double(width) - 4), "y": f(y), "labelX": f(Double(width) - 4), "labelY": f(y - 3), "label": marker.label,
            ]
        } else {
            self.marker = nil
        }
        // The legend: in one row when the series are few, else two to a row, so long names fit.
        let legendTop = plotBottom + 28
        let perRow = series.count <= 3 ? max(series.count, 1) : 2
        let legendWidth = Double(width - 20) / Double(perRow)
        styles = series.enumerated().map { index, label in
            let look = Self.looks[index % Self.looks.count]
            let left = 10 + Double(index % perRow) * legendWidth
            let top = legendTop + Double(index / perRow) * 22
            return Style(
                patternID: "\(id)-p\(index % Self.looks.count)",
                fill: look.fill,
                marks: look.marks,
                label: label,
                x: f(left),
                y: f(top),
                textX: f(left + 20),
                textY: f(top + 12)
            )
        }
        height = Int(legendTop + Double((series.count + perRow - 1) / perRow) * 22 + 4)
    }

    /// A tick's number in digits grouped by narrow spaces (`2 500 000`), read the same in Swedish
    /// and English.
    static func tickLabel(_ value: Double) -> String {
        var digits = String(Int(value.rounded()))
        var grouped = ""
        while digits.count > 3 {
            grouped = "\u{202F}" + digits.suffix(3) + grouped
            digits = String(digits.dropLast(3))
        }
        return digits + grouped
    }

    /// A step of 1, 2 or 5 times a power of ten at or above `raw` (at least 1), for the ticks of
    /// an axis that ends on a round number.
    ///
    /// - Parameter raw: The step the axis would need for about the ticks wanted.
    /// - Returns: The round step.
    public static func niceStep(_ raw: Double) -> Double {
        guard raw > 1 else { return 1 }
        let power = pow(10, (log10(raw)).rounded(.down))
        for factor in [1.0, 2, 5, 10] where factor * power >= raw { return factor * power }
        return 10 * power
    }
}
