import DataAccess

/// Moves every assignment in force of one provider to another from a day.
struct HandoverRequest: Sendable, Hashable, Codable {
    var fromProviderId: Int
    var toProviderId: Int
    /// The first day under the new provider; the old assignments end the day before.
    var on: LocalDate
    /// The supervisor of every new assignment; absent: each keeps its supervisor, who must
    /// then be a supervisor of the new provider.
    var supervisorId: Int?
    /// Work out what would move, change nothing.
    var preview: Bool?
}

/// What a handover moved (or, as a preview, would move).
struct HandoverSummary: Sendable, Hashable, Codable {
    /// One moved assignment.
    struct Move: Sendable, Hashable, Codable {
        var cooperativeId: Int
        var cooperativeName: String
        var endedAssignmentId: Int
        /// `nil` in a preview.
        var newAssignmentId: Int?
        var supervisorId: Int
    }

    /// The handover's id; `nil` in a preview.
    var id: Int?
    var fromProviderId: Int
    var toProviderId: Int
    var on: LocalDate
    var preview: Bool
    var moved: [Move]
}
