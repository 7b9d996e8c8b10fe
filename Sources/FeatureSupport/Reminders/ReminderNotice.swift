public import DataAccess

/// A reminder a feature's daily job raised, for the person responsible: the payload of the
/// event ``ReminderRaised`` (`<feature>.reminderRaised`, version 1), which the host turns into a
/// line of that person's daily e-mail digest.
///
/// The published contract (JSON): `kind` (the feature's kind of reminder, e.g.
/// `assignmentReview`), `subjectId` (the record's id), `due` (`YYYY-MM-DD`), `overdue`, `text`
/// (what is due, one line per language code, `{"sv": …, "en": …}`; the host adds when it is
/// due), `path` (the record's page, `/supervision/cooperatives/3`) and `responsible` (who is to
/// act on it, below).
public struct ReminderNotice: Codable, Sendable, Hashable {
    /// Who is to act on a reminder: the users the record names as responsible (the caseworker of
    /// a grant, the supervisor of an assignment, the coordinator of a project) and the roles of
    /// the people responsible (a supervisor, a caseworker, an ESF coordinator) with, for a scoped
    /// role, the organisation they work for (the provider of an assignment). The host sends it to
    /// the named users when at least one of them is active; otherwise to every active user of
    /// the roles (of a scoped role: only those working for `organisationId`), and to the users of
    /// the `fallback` roles when no active user has a responsible role.
    ///
    /// `userIds` came in a later version of the payload: a notice without it (queued before)
    /// decodes with none.
    public struct Responsible: Codable, Sendable, Hashable {
        /// The ids of the responsible roles, e.g. `["supervisor"]`.
        public var roles: [String]
        /// The organisation a user of a scoped role must work for; `nil`: no scoped user.
        public var organisationId: Int?
        /// The roles that get the reminder when nobody holds a responsible role, e.g. `["officer"]`.
        public var fallback: [String]
        /// The users the record names as responsible; empty when it names nobody.
        public var userIds: [Int]

        /// Creates the description of who is responsible.
        ///
        /// - Parameters:
        ///   - roles: The ids of the responsible roles.
        ///   - organisationId: The organisation a user of a scoped role must work for.
        ///   - fallback: The roles that get it when nobody holds a responsible role.
        ///   - userIds: The users the record names as responsible.
        public init(roles: [String], organisationId: Int? = nil, fallback: [String] = [], userIds: [Int] = []) {
            self.roles = roles
            self.organisationId = organisationId
            self.fallback = fallback
            self.userIds = userIds
        }

        /// Decodes a notice's `responsible`, of either version (one without `userIds` names nobody).
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            roles = try container.decode([String].self, forKey: .roles)
            organisationId = try container.decodeIfPresent(Int.self, forKey: .organisationId)
            fallback = try container.decodeIfPresent([String].self, forKey: .fallback) ?? []
            userIds = try container.decodeIfPresent([Int].self, forKey: .userIds) ?? []
        }
    }

    /// The feature's kind of reminder, e.g. `assignmentReview`.
    public var kind: String
    /// The id of the record it is about.
    public var subjectId: Int
    /// The day it is (or was) due.
    public var due: LocalDate
    /// Whether the day has passed.
    public var overdue: Bool
    /// What is due, by language code (`sv`, `en`), without the date.
    public var text: [String: String]
    /// The page of the record, from the site's root (`/supervision/cooperatives/3`).
    public var path: String
    /// Who is to act on it.
    public var responsible: Responsible

    /// Creates a notice.
    ///
    /// - Parameters:
    ///   - kind: The feature's kind of reminder.
    ///   - subjectId: The id of the record it is about.
    ///   - due: The day it is due.
    ///   - overdue: Whether that day has passed.
    ///   - text: What is due, by language code.
    ///   - path: The page of the record.
    ///   - responsible: Who is to act on it.
    public init(kind: String, subjectId: Int, due: LocalDate, overdue: Bool, text: [String: String], path: String, responsible: Responsible) {
        self.kind = kind
        self.subjectId = subjectId
        self.due = due
        self.overdue = overdue
        self.text = text
        self.path = path
        self.responsible = responsible
    }

    /// The name of the event a feature publishes a notice under: `<feature>.reminderRaised`.
    ///
    /// - Parameter feature: The publishing feature's id.
    /// - Returns: The event's name.
    public static func eventName(of feature: String) -> String { feature + ".reminderRaised" }
}
