public import Foundation

/// A grouped horizontal bar chart as the shared `barChart` partial draws it: server-rendered SVG,
/// no script, with a title and a description (`role="img"`), and the same figures in a table
/// beside it, so nothing is only in the picture.
///
/// It reads in greyscale: each series has a fill that differs in pattern as well as in shade
/// (solid, hatched, light with an outline, dotted), the legend names each with its pattern,
/// and every bar carries its figure as text. A value the reader may not see exactly (`< 5`)
/// has no bar, only its text.
///
/// ```swift
/// let chart = BarChart(
///     id: "budget-chart", title: "Budget and outcome", description: "…", groupHeader: "Category",
///     series: ["Budget", "Outcome"],
///     groups: [.init(label: "Staff", values: [21_400_000, 154_995.53], texts: ["21 400 000 kr", "154 995,53 kr"])]
/// )
/// // {{#chart}}{{> barChart}}{{/chart}}
/// ```
public struct BarChart: Sendable {
    /// One category of the chart: a bar per series.
    public struct Group: Sendable {
        /// The category's name, beside its bars and in the table's first column.
        public var label: String
        /// A value per series; `nil` draws no bar (a suppressed or missing figure).
        public var values: [Double?]
        /// The figure per series as the reader reads it ("1 234 kr", "< 5"), at the bar's end
        /// and in the table.
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

    /// A bar as the template draws it.
    public struct Bar: Sendable {
        let x: String
        let y: String
        let width: String
        let height: String
        let fill: String
        let textX: String
        let textY: String
        let text: String
    }

    /// A group's label and bars, laid out.
    public struct GroupLayout: Sendable {
        let label: String
        /// The label beside the bars, shortened to fit (the table has it whole).
        let chartLabel: String
        let labelY: String
        let bars: [Bar]
        /// The table row: the label, then each series' figure.
        let cells: [String]
    }

    /// A series in the legend, with its pattern.
    public struct LegendEntry: Sendable {
        let label: String
        let fill: String
        let x: String
        let textX: String
    }

    /// A labelled mark on the value axis.
    public struct Tick: Sendable {
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
    let legend: [LegendEntry]
    let legendY: String
    let legendTextY: String
    let ticks: [Tick]
    let axisX1: String
    let axisY1: String
    let axisY2: String
    let tickLabelY: String
    /// The pattern ids, prefixed with the chart's id so several charts fit one page.
    let hatchID: String
    let dotsID: String

    static let labelWidth = 200.0, right = 70.0, top = 12.0, barHeight = 14.0, groupGap = 12.0

    /// Lays out a chart.
    ///
    /// - Parameters:
    ///   - id: The chart's element id (unique on the page); its title, description and
    ///     patterns take ids from it.
    ///   - title: The chart's title (`<title>`).
    ///   - description: What it shows, with its figures (`<desc>` and the caption).
    ///   - groupHeader: The table's first column's header.
    ///   - series: The series' names, in the order of each group's values (up to four patterns).
    ///   - groups: The categories.
    public init(id: String, title: String, description: String, groupHeader: String, series: [String], groups: [Group]) {
        self.id = id
        self.title = title
        self.description = description
        self.groupHeader = groupHeader
        headers = series
        hatchID = id + "-hatch"
        dotsID = id + "-dots"
        let fills = ["#1d4f91", "url(#\(hatchID))", "#c8c8c8", "url(#\(dotsID))"]
        func fill(_ index: Int) -> String { fills[index % fills.count] }
        func f(_ value: Double) -> String { String(format: "%.1f", value) }
        let largest = groups.flatMap { $0.values.compactMap { $0 } }.max() ?? 0
        let step = Self.niceStep(max(largest, 1) / 4)
        let maximum = (max(largest, 1) / step).rounded(.up) * step
        let plotWidth = Double(width) - Self.labelWidth - Self.right
        func x(_ value: Double) -> Double { Self.labelWidth + plotWidth * max(value, 0) / maximum }
        let groupHeight = Double(max(series.count, 1)) * (Self.barHeight + 2) + Self.groupGap
        var layouts: [GroupLayout] = []
        for (index, group) in groups.enumerated() {
            let top = Self.top + Double(index) * groupHeight
            let bars = series.indices.map { s -> Bar in
                let value = s < group.values.count ? group.values[s] : nil
                let text = s < group.texts.count ? group.texts[s] : ""
                let y = top + Double(s) * (Self.barHeight + 2)
                let end = x(value ?? 0)
                return Bar(
                    x: f(Self.labelWidth),
                    y: f(y),
                    width: f(end - Self.labelWidth),
                    height: f(Self.barHeight),
                    fill: fill(s),
                    textX: f(end + 4),
                    textY: f(y + Self.barHeight - 3),
                    text: text
                )
            }
            let middle = top + (groupHeight - Self.groupGap) / 2 + 4
            let short = group.label.count > 30 ? group.label.prefix(29) + "…" : group.label
            layouts.append(
                GroupLayout(
                    label: group.label,
                    chartLabel: short,
                    labelY: f(middle),
                    bars: bars,
                    cells: series.indices.map { $0 < group.texts.count ? group.texts[$0] : "" }
                )
            )
        }
        self.groups = layouts
        let plotBottom = Self.top + Double(groups.count) * groupHeight
        axisX1 = f(Self.labelWidth)
        axisY1 = f(Self.top - 4)
        axisY2 = f(plotBottom)
        tickLabelY = f(plotBottom + 14)
        ticks = stride(from: 0.0, through: maximum, by: step).map { Tick(x: f(x($0)), label: Self.tickLabel($0)) }
        let legendTop = plotBottom + 28
        legendY = f(legendTop)
        legendTextY = f(legendTop + 11)
        let legendWidth = Double(width - 20) / Double(max(series.count, 1))
        legend = series.enumerated().map { index, label in
            let left = 10 + Double(index) * legendWidth
            return LegendEntry(label: label, fill: fill(index), x: f(left), textX: f(left + 20))
        }
        height = Int(legendTop + 24)
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
