import DataAccess
import HostTestSupport
import PluginKit
import Registry
import Testing

@testable import Host

@Suite("Supervision and the registry's events")
struct WoundUpTests {
    @Test("a cooperative wound up in the registry has its supervision ended through the registry's event")
    func woundUpEndsSupervision() async throws {
        let f = try await SupervisionAccessFixture.make()
        let registry = f.runtime.registry
        let day = LocalDate(year: 2016, month: 9, day: 30)!
        _ = try await f.runtime.database.transaction { [ids = f.ids] tx in
            try registry.changeState(
                ofOrganisation: ids.coopIn,
                OrganisationStateChange(state: .woundUp, on: day, reason: "Verksamheten upphörde"),
                today: .today(),
                reach: .everything,
                actor: .system,
                in: tx
            )
        }
        #expect(try await f.runtime.dispatcher.dispatchPending() >= 1)
        let row = try await f.runtime.database.query("SELECT state, ended_on FROM supervision.assignments WHERE id = \(f.ids.assignmentIn)").single()
        #expect(try row.decode("state", as: String.self) == "ended")
        #expect(try row.decode("ended_on", as: LocalDate.self) == day)
        let other = try await f.runtime.database.query("SELECT state FROM supervision.assignments WHERE id = \(f.ids.assignmentOut)").single()
        #expect(try other.decode("state", as: String.self) == "active")
        await f.runtime.shutdown()
    }
}
