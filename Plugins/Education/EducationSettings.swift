import PluginKit

/// The `features.education` settings: the numbers of the study associations' grant rules
/// (DOMAIN.md rules 6–11), with the rules' own numbers as defaults.
struct EducationSettings: Sendable, Hashable, Codable {
    /// Minutes in a study hour (rule 6).
    var hourMinutes = 45
    /// People present at a meeting, the leader included (rule 7).
    var minPresent = 3
    var maxPresent = 20
    /// Meetings and study hours a circle needs (rule 8).
    var minMeetings = 3
    var minStudyHours = 9
    /// Study hours per meeting and meetings per calendar week at most (rule 9).
    var maxHoursPerMeeting = 4
    var maxMeetingsPerWeek = 3
    /// Study hours per circle and calendar year at most (rule 10).
    var maxHoursPerYear = 480
    /// A participant counts with this many meetings, one among the first ones, from this age (rule 11).
    var minMeetingsAttended = 3
    var firstMeetings = 3
    var minAge = 13

    init() {}

    /// Reads the section; every number is range-checked, and min/max pairs must be in order.
    init(section: ConfigSection) {
        let defaults = EducationSettings()
        hourMinutes = section.int("hourMinutes", default: defaults.hourMinutes, range: 1...120)
        minPresent = section.int("minPresent", default: defaults.minPresent, range: 1...100)
        maxPresent = section.int("maxPresent", default: defaults.maxPresent, range: 1...1000)
        minMeetings = section.int("minMeetings", default: defaults.minMeetings, range: 1...100)
        minStudyHours = section.int("minStudyHours", default: defaults.minStudyHours, range: 0...1000)
        maxHoursPerMeeting = section.int("maxHoursPerMeeting", default: defaults.maxHoursPerMeeting, range: 1...24)
        maxMeetingsPerWeek = section.int("maxMeetingsPerWeek", default: defaults.maxMeetingsPerWeek, range: 1...21)
        maxHoursPerYear = section.int("maxHoursPerYear", default: defaults.maxHoursPerYear, range: 1...10000)
        minMeetingsAttended = section.int("minMeetingsAttended", default: defaults.minMeetingsAttended, range: 1...100)
        firstMeetings = section.int("firstMeetings", default: defaults.firstMeetings, range: 1...100)
        minAge = section.int("minAge", default: defaults.minAge, range: 0...120)
        if minPresent > maxPresent {
            section.problem("minPresent", "must not be above maxPresent (\(maxPresent))")
        }
    }
}
