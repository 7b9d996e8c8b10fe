import Foundation
import PluginKit

/// The `features.esf` settings.
struct ESFSettings: Sendable, Hashable {
    /// A monthly report due within this many days raises a reminder (overdue ones always do).
    var reminderDays = 14
    /// Days after a month's end its participant report is due (rule 16: four weeks).
    var reportDueDays = 28
    /// The EU share of a new project unless it gives its own (percent).
    var defaultEUSharePercent: Decimal = 50
    /// The indicator set of a new project unless it gives its own.
    var indicatorSet = IndicatorSeed.set2014
    /// Rule 17's numbers.
    var costs = CostRules()

    init() {}

    /// Reads the section; every number is range-checked.
    init(section: ConfigSection) {
        let defaults = ESFSettings()
        reminderDays = section.int("reminderDays", default: defaults.reminderDays, range: 0...365)
        reportDueDays = section.int("reportDueDays", default: defaults.reportDueDays, range: 1...365)
        defaultEUSharePercent = Decimal(section.int("defaultEUSharePercent", default: 50, range: 1...100))
        indicatorSet = section.string("indicatorSet", default: defaults.indicatorSet)
        costs.hoursPerYear = Decimal(section.int("hoursPerYear", default: 1862, range: 1...8784))
        costs.indirectPercent = Decimal(section.int("indirectCostPercent", default: 15, range: 0...100))
    }
}
