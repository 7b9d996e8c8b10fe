import PluginKit
import Registry

/// The partnership feature's permissions. Officers at the municipal unit record agreements and
/// grants; a supervisor's organisation reads the agreements it is party to and keeps the action
/// plans of its framework agreements; auditors read (and the ESF coordinator, whose role holds
/// `partnerships.read`).
enum PartnershipPermissions {
    static let read = Permission(
        "partnerships.read",
        summary: "Read agreements, grants, action plans, documents, follow-up, reminders and the grant ledger (a supervisor: its organisation's)",
        grantedTo: [.officer, .supervisor, .auditor]
    )
    static let agreementWrite = Permission(
        "partnerships.agreement.write",
        summary: "Record agreements and grant applications, contributions, procurement checks and state changes",
        grantedTo: [.officer]
    )
    static let grantWrite = Permission(
        "partnerships.grant.write",
        summary: "Record grant payments and follow-up reports",
        grantedTo: [.officer]
    )
    static let documentWrite = Permission(
        "partnerships.document.write",
        summary: "Attach documents to agreements",
        grantedTo: [.officer]
    )
    static let activityWrite = Permission(
        "partnerships.activity.write",
        summary: "Keep a framework agreement's action plan (a supervisor: of its organisation's agreements)",
        grantedTo: [.officer, .supervisor]
    )

    static let all = [read, agreementWrite, grantWrite, documentWrite, activityWrite]
}
