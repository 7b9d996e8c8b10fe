import PluginKit
import Registry

/// The supervision feature's permissions. Officers at the municipal unit run it; supervisors
/// read their cooperatives and write sessions and goals for them; auditors read.
enum SupervisionPermissions {
    static let read = Permission(
        "supervision.read",
        summary: "Read assignments, pots, sessions, goals, reminders and follow-up (a supervisor: its organisation's cooperatives)",
        grantedTo: [.officer, .supervisor, .auditor]
    )
    static let assignmentWrite = Permission(
        "supervision.assignment.write",
        summary: "Record assignments and change their state",
        grantedTo: [.officer]
    )
    static let handover = Permission(
        "supervision.handover.run",
        summary: "Hand every assignment of one provider over to another",
        grantedTo: [.officer]
    )
    static let potWrite = Permission(
        "supervision.pot.write",
        summary: "Set up funding pots, record spending and reviews",
        grantedTo: [.officer]
    )
    static let sessionWrite = Permission(
        "supervision.session.write",
        summary: "Record sessions (a supervisor: under its own organisation's assignments in force)",
        grantedTo: [.officer, .supervisor]
    )
    static let goalWrite = Permission(
        "supervision.goal.write",
        summary: "Open development goals and change their state (a supervisor: within reach)",
        grantedTo: [.officer, .supervisor]
    )

    static let all = [read, assignmentWrite, handover, potWrite, sessionWrite, goalWrite]
}
