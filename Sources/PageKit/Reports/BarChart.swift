import Foundation

/// A chart of bars by category (by year, by cooperative), stacked or side by side, as the shared `barChart` partial draws it: server-rendered
/// SVG, no script, in the style of the ESF project's jobs chart. Every series has a shade and
/// a pattern of its own (solid, hatched, dotted, crossed …) and a label in the legend, so the
/// chart reads in greyscale and without colour; a title and a description name the figures,
/// and the page shows the same figures in a table beside it. A year can be marked (the year
/// the municipality's unit closed) with a dashed line and a label.
///
/// ```swift
/// let years = 2001...2020
/// let chart = BarChart(
///     id: "hours-chart", title: "Supervision hours by provider", description: "…", categories: years.map(String.init),
///     series: [.init(label: "The unit", values: [2014: 96], years: years), .init(label: "The umbrella association", values: [2016: 80], years: years)],
///     marker: .init(after: 14, label: "The unit closed")
/// )
/// data["chart"] = chart   // {{#chart}}{{> barChart}}{{/chart}}
/// ```
public struct BarChart: Sendable {
    /// One part of every bar: a label and a value per category (per year).
    public struct Series: Sendable {
        /// The series' name in the legend.
        public let label: String
        /// The value in each category, in the order of the chart's categories.
        public let values: [Double]

        /// Creates a series with a value per category.
        public init(label: String, values: [Double]) {
            self.label = label
            self.values = values
        }

        /// Creates a series with a value per year of `years`; a missing year is zero.
        public init(label: String, values: [Int: Double], years: ClosedRange<Int>) {
            self.init(label: label, values: years.map { values[$0] ?? 0 })
        }
    }

    /// A marked place between two categories (the end of the year the municipality's unit
    /// closed): a dashed line and a label.
    public struct Marker: Sendable {
        /// The category after which the line stands.
        public let after: Int
        /// What happened then.
        public let label: String

        /// Creates a marker after the category at index `after`.
        public init(after: Int, label: String) {
            self.after = after
            self.label = label
        }
    }

    /// A series as the template draws it: its pattern and its legend entry.
    struct Style: Sendable {
        let patternID: String
        let fill: String
        let marks: String
        let label: String
        let legendX: String
        let legendY: String
        let textX: String
        let textY: String
    }

    /// A rectangle of a bar.
    struct Rect: Sendable {
        let x: String
        let y: String
        let width: String
        let height: String
        let patternID: String
        let tooltip: String
    }

    /// A labelled mark on an axis.
    struct Tick: Sendable {
        let position: String
        let label: String
    }

    let id: String
    let title: String
    let description: String
    let width = 640
    let height: Int
    let styles: [Style]
    let rects: [Rect]
    let xTicks: [Tick]
    let yTicks: [Tick]
    let axisBottom: String
    let axisLeft: String
    let axisRight: String
    let tickLabelY: String
    let marker: [String: String]?

    static let left = 64.0, right = 24.0, top = 28.0, plotHeight = 240.0

    /// The shades and patterns of the series in turn: distinct in lightness, and marked
    /// differently, so no two look alike in greyscale.
    static let looks: [(fill: String, marks: String)] = [
        ("#1d4f91", ""),
        ("#f2c14e", ##"<path d="M0,8 L8,0" stroke="#222" stroke-width="1.5" />"##),
        ("#ffffff", ##"<circle cx="4" cy="4" r="1.6" fill="#222" />"##),
        ("#8a1c1c", ##"<path d="M0,4 H8" stroke="#fff" stroke-width="1.5" />"##),
        ("#9bc59d", ##"<path d="M0,0 L8,8 M0,8 L8,0" stroke="#222" stroke-width="1" />"##),
        ("#555555", ""),
        ("#ffffff", ##"<path d="M4,0 V8" stroke="#222" stroke-width="1.5" />"##),
        ("#c6c6c6", ""),
    ]

    /// Lays out the chart.
    ///
    /// - Parameters:
    ///   - id: The SVG element's id, unique on the page (its title, description and patterns
    ///     are named after it).
    ///   - title: The chart's title.
    ///   - description: What it shows, in words, with its main figures.
    ///   - categories: The labels along the axis (the years, the cooperatives).
    ///   - series: The parts of each bar, bottom (or left) first.
    ///   - stacked: Whether the series stand on each other (parts of a whole) or side by side
    ///     (figures to compare, such as hours against target).
    ///   - marker: A place to mark, if any.
    ///   - format: How a value is written on the axis and in a bar's tooltip.
    public init(
        id: String,
        title: String,
        description: String,
        categories: [String],
        series: [Series],
        stacked: Bool = true,
        marker: Marker? = nil,
        format: (Double) -> String = { String(Int($0.rounded())) }
    ) {
        self.id = id
        self.title = title
        self.description = description
        let f = { (value: Double) in String(format: "%.1f", value) }
        let plotWidth = Double(width) - Self.left - Self.right
        let slot = plotWidth / Double(max(categories.count, 1))
        let barWidth = max(slot * 0.7 / (stacked ? 1 : Double(max(series.count, 1))), 1)
        func value(_ series: Series, _ index: Int) -> Double { index < series.values.count ? max(series.values[index], 0) : 0 }
        let top =
            categories.indices.map { index in
                stacked ? series.reduce(0) { $0 + value($1, index) } : series.map { value($0, index) }.max() ?? 0
            }.max() ?? 0
        let step = Self.niceStep(max(top, 1) / 5)
        let yMax = (max(top, 1) / step).rounded(.up) * step
        func y(_ value: Double) -> Double { Self.top + Self.plotHeight * (1 - value / yMax) }
        func x(_ index: Int) -> Double { Self.left + slot * Double(index) }

        let perRow = 3
        let legendTop = Self.top + Self.plotHeight + 44
        styles = series.enumerated().map { index, series in
            let look = Self.looks[index % Self.looks.count]
            let column = Double(index % perRow), row = Double(index / perRow)
            return Style(
                patternID: "\(id)-p\(index)",
                fill: look.fill,
                marks: look.marks,
                label: series.label,
                legendX: f(Self.left + column * 190),
                legendY: f(legendTop + row * 22),
                textX: f(Self.left + column * 190 + 22),
                textY: f(legendTop + row * 22 + 12)
            )
        }
        height = Int(legendTop + Double((series.count + perRow - 1) / perRow) * 22 + 8)
        var rects: [Rect] = []
        let groupStart = (slot - barWidth * (stacked ? 1 : Double(series.count))) / 2
        for (category, name) in categories.enumerated() {
            var base = 0.0
            for (index, series) in series.enumerated() {
                let amount = value(series, category)
                guard amount > 0 else { continue }
                let left = x(category) + groupStart + (stacked ? 0 : barWidth * Double(index))
                rects.append(
                    Rect(
                        x: f(left),
                        y: f(y(base + amount)),
                        width: f(barWidth),
                        height: f(y(base) - y(base + amount)),
                        patternID: "\(id)-p\(index)",
                        tooltip: "\(name) \(series.label): \(format(amount))"
                    )
                )
                if stacked { base += amount }
            }
        }
        self.rects = rects
        let every = categories.count > 14 ? 2 : 1
        xTicks = categories.enumerated().filter { $0.offset % every == 0 }.map { Tick(position: f(x($0.offset) + slot / 2), label: $0.element) }
        yTicks = stride(from: 0.0, through: yMax, by: step).map { Tick(position: f(y($0)), label: format($0)) }
        axisBottom = f(Self.top + Self.plotHeight)
        axisLeft = f(Self.left)
        axisRight = f(Self.left + plotWidth)
        tickLabelY = f(Self.top + Self.plotHeight + 18)
        if let marker, categories.indices.contains(marker.after) {
            self.marker = [
                "x": f(x(marker.after) + slot), "y1": f(Self.top - 8), "y2": f(Self.top + Self.plotHeight),
                "labelX": f(x(marker.after) + slot - 4), "labelY": f(Self.top - 12), "label": marker.label,
            ]
        } else {
            self.marker = nil
        }
    }

    /// A step of 1, 2 or 5 times a power of ten at or above `raw`: the axis of every chart.
    public static func niceStep(_ raw: Double) -> Double {
        guard raw > 1 else { return 1 }
        let power = pow(10, (log10(raw)).rounded(.down))
        for factor in [1.0, 2, 5, 10] where factor * power >= raw { return factor * power }
        return 10 * power
    }
}
