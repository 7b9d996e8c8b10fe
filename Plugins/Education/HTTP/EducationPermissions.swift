import PluginKit
import Registry

/// The education feature's permissions. Officers run circles; supervisors (the assisting
/// supervisors) record meetings and attendance within reach; auditors read.
enum EducationPermissions {
    static let read = Permission(
        "education.read",
        summary: "Read circles, meetings, attendance, rule checks and reports (a supervisor: within reach)",
        grantedTo: [.officer, .supervisor, .auditor]
    )
    static let circleWrite = Permission(
        "education.circle.write",
        summary: "Plan circles, enrol participants, change a circle's state",
        grantedTo: [.officer]
    )
    static let meetingWrite = Permission(
        "education.meeting.write",
        summary: "Record meetings and attendance (a supervisor: within reach)",
        grantedTo: [.officer, .supervisor]
    )
    static let override = Permission(
        "education.circle.override",
        summary: "Report a circle although a grant rule fails, with a reason (audited)",
        grantedTo: [.officer]
    )
    static let identityExport = Permission(
        "education.attendance.identityNumbers",
        summary: "Export a circle's attendance list with full identity numbers (each reading audited)",
        grantedTo: [.officer]
    )

    static let all = [read, circleWrite, meetingWrite, override, identityExport]
}
