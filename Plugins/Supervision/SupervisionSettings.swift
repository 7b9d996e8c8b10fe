import PluginKit

/// The `features.supervision` settings.
struct SupervisionSettings: Sendable, Hashable {
    /// Days without a session after which a cooperative under supervision counts as inactive.
    var inactivityDays = 30
    /// Days before a review date or a pot's end that it is reported as due.
    var reviewReminderDays = 60

    init() {}

    /// Reads the section; `inactivity_days` and `review_reminder_days` are accepted too.
    init(section: ConfigSection) {
        func days(_ key: String, alias: String, default value: Int) -> Int {
            section.int(section.contains(alias) ? alias : key, default: value, range: 1...3650)
        }
        inactivityDays = days("inactivityDays", alias: "inactivity_days", default: 30)
        reviewReminderDays = days("reviewReminderDays", alias: "review_reminder_days", default: 60)
    }
}
