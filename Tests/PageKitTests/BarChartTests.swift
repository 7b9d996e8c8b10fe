import Foundation
import Testing

@testable import PageKit

/// The one bar chart of the pages: the ESF progress report's figures side by side, the reports'
/// years stacked with the unit's closing marked; the same figures always in a table beside it.
@Suite("Bar charts")
struct BarChartTests {
    /// The chart as the shared `barChart` partial draws it.
    static func html(_ chart: BarChart) throws -> String {
        let resources = URL(filePath: #filePath).deletingLastPathComponent().appending(path: "../../Sources/PageKit/Resources").standardized
        return try PageTemplates(resources: resources).render("barChart", chart)
    }

    /// The `width` attributes of the chart's bars, in order.
    static func widths(_ html: String) -> [Double] {
        html.matches(of: /<rect class="bar" x="[0-9.]+" y="[0-9.]+" width="([0-9.]+)"/).compactMap { Double($0.1) }
    }

    @Test(
        """
        stacked by year: a year's parts stand on each other in one bar, an empty part draws nothing, the break \
        is a dashed line with its label and the next row is set off in the table, every figure in the table
        """
    )
    func stackedWithBreak() throws {
        let chart = BarChart(
            id: "money-chart",
            title: "Utbetalt per år och ändamål",
            description: "Utbetalt 2014–2016.",
            groupHeader: "År",
            series: ["Enheten", "Föreningsbidrag"],
            groups: [
                .init(label: "2014", values: [300, 100], texts: ["300 kr", "100 kr"]),
                .init(label: "2015", values: [200, 0], texts: ["200 kr", "0 kr"]),
                .init(label: "2016", values: [0, 400], texts: ["0 kr", "400 kr"]),
            ],
            stacked: true,
            marker: .init(after: 1, label: "Enheten lades ned 2015")
        )
        let html = try Self.html(chart)
        #expect(html.contains(#"<svg id="money-chart" role="img" aria-labelledby="money-chart-title money-chart-desc""#))
        #expect(html.contains(#"<title id="money-chart-title">Utbetalt per år och ändamål</title>"#))
        let widths = Self.widths(html)
        #expect(widths.count == 4, "no bar for the two empty parts")
        let bars = html.matches(of: /<rect class="bar" x="([0-9.]+)" y="([0-9.]+)" width="([0-9.]+)"/)
            .map { (x: Double($0.1)!, y: $0.2, width: Double($0.3)!) }
        #expect(bars[0].y == bars[1].y && abs(bars[0].x + bars[0].width - bars[1].x) < 0.2, "2014's grants stand on the unit's cost in one bar")
        #expect(abs(bars[0].width - 3 * bars[1].width) < 0.5, "300 kr is three times as long as 100 kr")
        #expect(html.contains(#"class="marker""#) && html.contains("Enheten lades ned 2015"))
        #expect(html.contains(#"<tr class="break"><th scope="row">2016</th>"#), "the first year after the break is set off in the table")
        #expect(html.contains(#"<td class="number">300 kr</td><td class="number">100 kr</td>"#))
        #expect(html.contains("<title>2014, Föreningsbidrag: 100 kr</title>"), "a stacked part names its figure")
    }

    @Test(
        """
        side by side: a bar per series with its figure at its end; a figure the reader may not see exactly \
        ('< 5') has no bar, only its text; every series has a pattern of its own
        """
    )
    func sideBySide() throws {
        let chart = BarChart(
            id: "indicators-chart",
            title: "Indikatorer",
            description: "Kvinnor, män och mål.",
            groupHeader: "Indikator",
            series: ["Kvinnor", "Män", "Mål"],
            groups: [.init(label: "CO01", values: [nil, 12, 40], texts: ["< 5", "12", "40"])]
        )
        let html = try Self.html(chart)
        #expect(Self.widths(html).filter { $0 > 0 }.count == 2, "no bar for '< 5'")
        #expect(html.contains(">&lt; 5</text>") && html.contains(">12</text>") && html.contains(">40</text>"))
        let patterns = Set(html.matches(of: /<pattern id="(indicators-chart-p[0-9]+)"/).map { String($0.1) })
        #expect(patterns.count == 3, "three patterns for three series")
        #expect(!html.contains(#"class="marker""#))
    }
}
