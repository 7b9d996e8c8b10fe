import PluginKit
import Registry

/// The ESF feature's permissions. Project staff (the coordinator) run it; officers and
/// auditors read. Participant data is under secrecy: supervisors get none of it, and the
/// special-category attributes and full identity numbers are the coordinator's alone (not
/// even the admin's).
enum ESFPermissions {
    static let read = Permission(
        "esf.read",
        summary: "Read projects, participations, jobs, progress, indicators, monthly reports, costs and claims",
        grantedTo: [.officer, .coordinator, .auditor]
    )
    static let projectWrite = Permission("esf.project.write", summary: "Record projects and move their state", grantedTo: [.coordinator])
    static let participationWrite = Permission(
        "esf.participation.write",
        summary: "Record entries, exits and results of participants",
        grantedTo: [.coordinator]
    )
    static let specialCategories = Permission(
        "esf.participation.specialCategories",
        summary: "Read and record special-category data (migrant background, disability, other disadvantaged)",
        onlyTo: [.coordinator]
    )
    static let jobWrite = Permission("esf.job.write", summary: "Record jobs that followed", grantedTo: [.coordinator])
    static let reportWrite = Permission(
        "esf.report.write",
        summary: "Submit and re-open monthly participant reports",
        grantedTo: [.coordinator]
    )
    static let identityNumbers = Permission(
        "esf.report.identityNumbers",
        summary: "Export the monthly participant report with full identity numbers (audited)",
        onlyTo: [.coordinator]
    )
    static let costWrite = Permission("esf.cost.write", summary: "Book costs and move payment claims", grantedTo: [.coordinator])
    static let importRun = Permission("esf.import.run", summary: "Import participants and jobs from CSV", grantedTo: [.coordinator])
    /// An indicator set decides what the reports count and which counts are special-category
    /// data, so only the project staff who hold ``specialCategories`` load one (not the admin).
    static let indicatorsWrite = Permission("esf.indicators.write", summary: "Load indicator sets", onlyTo: [.coordinator])

    static let all = [
        read, projectWrite, participationWrite, specialCategories, jobWrite, reportWrite, identityNumbers, costWrite, importRun,
        indicatorsWrite,
    ]
}
