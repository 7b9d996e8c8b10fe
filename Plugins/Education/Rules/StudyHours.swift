/// Study hours from minutes (rule 6): whole units of the study hour's length, parts dropped.
enum StudyHours {
    /// The whole study hours in `minutes`.
    static func of(minutes: Int, hourMinutes: Int = 45) -> Int {
        guard minutes > 0, hourMinutes > 0 else { return 0 }
        return minutes / hourMinutes
    }
}
