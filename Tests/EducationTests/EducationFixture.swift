import DataAccess
import Foundation
import PluginKit
import Registry
import TestSupport

@testable import Education
@testable import Host

/// The registry and the education store on a fresh database, with a study association, a
/// leader and five participants (one of them 12 years old).
struct EducationFixture {
    static let vault = try! IdentityVault(base64: "a29vcGVyYXRvci10ZXN0LWtleS0wMTIzNDU2Nzg5YWI=")
    static let actor = Actor(userID: nil, name: "test")
    static let start = LocalDate(year: 2001, month: 9, day: 3)!

    let store: EducationStore
    let association: Int
    let cooperative: Int
    let leader: Int
    let participants: [Int]
    let child: Int

    var database: Database { store.database }
    var registry: Registry { store.registry }

    static func with<Result>(_ body: (EducationFixture) async throws -> Result) async throws -> Result {
        try await TestPostgres.withDatabase { database, _ in
            let plugin = try EducationPlugin(settings: ConfigSection(path: "features.education", value: nil))
            let registryPlugin = try RegistryPlugin(settings: ConfigSection(path: "features.registry", value: nil))
            _ = try await Migrator(database: database, logger: TestPostgres.logger).migrate([
                KernelSchema.group, registryPlugin.migrationGroup, plugin.migrationGroup,
            ])
            let registry = Registry(database: database, vault: vault, events: EventPublisher(featureID: "registry"))
            try await registry.verifyKey()
            let store = EducationStore(registry: registry, events: EventPublisher(featureID: "education"), settings: EducationSettings())
            let fixture = try await database.transaction { tx in
                let association = try registry.createOrganisation(
                    OrganisationDraft(name: "Studieförbundet", legalForm: .nonProfitAssociation, kind: .studyAssociation, state: .active),
                    actor: actor,
                    in: tx
                ).id
                let cooperative = try registry.createOrganisation(
                    OrganisationDraft(name: "Returbutiken", legalForm: .economicAssociation, kind: .cooperative, state: .active),
                    actor: actor,
                    in: tx
                ).id
                func person(_ name: String, _ number: String, _ gender: Gender) throws -> Int {
                    try registry.createPerson(
                        PersonDraft(name: name, identityNumber: number, identityStatus: .number, gender: gender),
                        today: start,
                        reach: .everything,
                        actor: actor,
                        in: tx
                    ).id
                }
                let leader = try person("Märta Ängström", "661109-2344", .female)
                let participants = [
                    try person("Jörgen Lindqvist", "780412-3458", .male), try person("Åsa Öberg", "850722-4569", .female),
                    try person("Ali Hassan", "880218-9012", .male), try person("Tomasz Nowak", "770661-4513", .male),
                ]
                let child = try person("Sara Ekström", "890315-1234", .female)  // 12 on 2001-09-03
                return EducationFixture(
                    store: store,
                    association: association,
                    cooperative: cooperative,
                    leader: leader,
                    participants: participants,
                    child: child
                )
            }
            return try await body(fixture)
        }
    }

    func circleDraft(aims: Int? = nil) -> CircleDraft {
        CircleDraft(
            studyAssociationId: association,
            leaderId: leader,
            subject: "Att starta ett kooperativ",
            studyPlan: "Tio träffar",
            aimsCooperativeId: aims,
            plannedStart: Self.start,
            plannedEnd: Self.start.adding(days: 70)
        )
    }

    /// A circle with everyone enrolled and `meetings` weekly meetings of 135 minutes, all present.
    func runningCircle(meetings: Int = 3, aims: Int? = nil) async throws -> Circle {
        try await write { s, tx in
            let circle = try s.createCircle(circleDraft(aims: aims), actor: Self.actor, in: tx)
            for person in participants + [child] {
                _ = try s.enrol(
                    EnrolmentDraft(personId: person),
                    inCircle: circle.id,
                    today: Self.start,
                    reach: .everything,
                    actor: Self.actor,
                    in: tx
                )
            }
            for week in 0..<meetings {
                let meeting = try s.addMeeting(
                    MeetingDraft(startsAt: "\(Self.start.adding(days: 7 * week))T18:00", minutes: 135),
                    toCircle: circle.id,
                    reach: .everything,
                    actor: Self.actor,
                    in: tx
                )
                _ = try s.recordAttendance(
                    AttendanceDraft(presentIds: participants + [child]),
                    atMeeting: meeting.id,
                    reach: .everything,
                    actor: Self.actor,
                    in: tx
                )
            }
            return try s.circle(id: circle.id, reach: .everything, in: tx)
        }
    }

    func write<Result: Sendable>(_ body: @escaping @Sendable (EducationStore, Transaction) throws -> Result) async throws -> Result {
        try await database.transaction { [store] tx in try body(store, tx) }
    }

    func read<Result: Sendable>(_ body: @escaping @Sendable (EducationStore, DatabaseConnection) throws -> Result) async throws -> Result {
        try await database.withConnection { [store] db in try body(store, db) }
    }

    func count(_ table: String) async throws -> Int {
        try await database.query("SELECT count(*) AS n FROM \(identifier: "education").\(identifier: table)").single().decode("n")
    }
}
