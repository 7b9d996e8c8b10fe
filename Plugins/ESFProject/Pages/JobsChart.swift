import DataAccess
import Foundation
import PageKit
import PluginKit

/// The jobs chart of a project's page as the `jobsChart` template draws it: server-rendered SVG,
/// no script. The cumulative jobs by month as a line, the target as a line with its day, and the
/// straight-line projection to it; a title and a description name every figure, and the same
/// figures stand in the table beside it, so nothing is only in the picture or only in a colour
/// (the lines differ in dash pattern too, and each is labelled in the legend).
struct JobsChart {
    /// A labelled mark on an axis.
    struct Tick {
        let position: String
        let label: String
    }

    /// A line segment in the chart's coordinates.
    struct Segment {
        let x1: String
        let y1: String
        let x2: String
        let y2: String
    }

    /// The target: its horizontal line, the vertical line at its day, and its label.
    struct Target {
        let line: Segment
        let day: Segment
        let label: String
        let labelX: String
        let labelY: String
    }

    /// One row of the table beside the chart.
    struct MonthRow {
        let month: String
        let started: Int
        let cumulative: Int
    }

    let width = 640
    let height = 320
    let title: String
    let description: String
    /// The cumulative line's points, `x,y x,y …`.
    let points: String
    let projection: Segment?
    let target: Target?
    let xTicks: [Tick]
    let yTicks: [Tick]
    let axisX: Segment
    let axisY: Segment
    /// Where the year ticks and their labels stand.
    let tickY1: String
    let tickY2: String
    let tickLabelY: String
    let rows: [MonthRow]
    let hasRows: Bool

    static let left = 56.0, right = 24.0, top = 24.0, bottom = 56.0

    /// Lays out the chart of `progress` for `project`.
    init(progress: JobProgress, project: Project, page: PageContext) {
        let start = project.from
        let end = max(project.to, progress.targetOn ?? project.to, min(progress.asOf, project.to))
        let top = max(progress.target ?? 0, progress.projected ?? 0, progress.jobs, 1)
        let step = BarChart.niceStep(Double(top) / 5)
        let yMax = (Double(top) / step).rounded(.up) * step
        let plotWidth = Double(width) - Self.left - Self.right
        let plotHeight = Double(height) - Self.top - Self.bottom
        let span = Double(max(end.daysSinceEpoch - start.daysSinceEpoch, 1))
        func x(_ day: LocalDate) -> Double { Self.left + plotWidth * Double(day.daysSinceEpoch - start.daysSinceEpoch) / span }
        func y(_ value: Double) -> Double { Self.top + plotHeight * (1 - value / yMax) }
        func f(_ value: Double) -> String { String(format: "%.1f", value) }

        // The cumulative count at the end of every month up to the day it is read (or the end).
        let started = Dictionary(progress.byMonth.map { ($0.month, $0.started) }, uniquingKeysWith: +)
        var cumulative = 0
        var coordinates = ["\(f(x(start))),\(f(y(0)))"]
        for month in ProjectCalendar.months(from: start, through: min(progress.asOf, end)) {
            cumulative += started[ProjectCalendar.label(month)] ?? 0
            let day = min(ProjectCalendar.monthEnd(month), progress.asOf, end)
            coordinates.append("\(f(x(day))),\(f(y(Double(cumulative))))")
        }
        points = coordinates.joined(separator: " ")
        if let projected = progress.projected, let targetOn = progress.targetOn, progress.asOf < targetOn {
            projection = Segment(x1: f(x(start)), y1: f(y(0)), x2: f(x(targetOn)), y2: f(y(Double(projected))))
        } else {
            projection = nil
        }
        if let goal = progress.target, let targetOn = progress.targetOn {
            let label = page.text("chartTargetLabel", ["target": String(goal), "day": targetOn.description])
            target = Target(
                line: Segment(x1: f(Self.left), y1: f(y(Double(goal))), x2: f(Self.left + plotWidth), y2: f(y(Double(goal)))),
                day: Segment(x1: f(x(targetOn)), y1: f(Self.top), x2: f(x(targetOn)), y2: f(Self.top + plotHeight)),
                label: label,
                labelX: f(Self.left + 6),
                labelY: f(y(Double(goal)) - 6)
            )
        } else {
            target = nil
        }
        axisX = Segment(x1: f(Self.left), y1: f(Self.top + plotHeight), x2: f(Self.left + plotWidth), y2: f(Self.top + plotHeight))
        axisY = Segment(x1: f(Self.left), y1: f(Self.top), x2: f(Self.left), y2: f(Self.top + plotHeight))
        tickY1 = f(Self.top + plotHeight)
        tickY2 = f(Self.top + plotHeight + 6)
        tickLabelY = f(Self.top + plotHeight + 20)
        yTicks = stride(from: 0.0, through: yMax, by: step).map { Tick(position: f(y($0)), label: String(Int($0))) }
        xTicks = (start.year...end.year).compactMap { year in
            guard let first = LocalDate(year: year, month: 1, day: 1), first >= start, first <= end else { return nil }
            return Tick(position: f(x(first)), label: String(year))
        }
        rows = progress.byMonth.map { MonthRow(month: $0.month, started: $0.started, cumulative: $0.cumulative) }
        hasRows = !rows.isEmpty
        title = page.text("chartTitle", ["name": project.name])
        var description = page.text(
            "chartDescription",
            ["jobs": String(progress.jobs), "from": start.description, "asOf": progress.asOf.description]
        )
        if let goal = progress.target, let targetOn = progress.targetOn {
            description += " " + page.text("chartDescriptionTarget", ["target": String(goal), "day": targetOn.description])
        }
        if let projected = progress.projected, let onTrack = progress.onTrack {
            description += " " + page.text(onTrack ? "chartDescriptionOnTrack" : "chartDescriptionBehind", ["projected": String(projected)])
        }
        self.description = description
    }
}
