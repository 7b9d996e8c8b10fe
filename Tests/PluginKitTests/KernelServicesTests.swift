import PluginKit
import Testing

@Suite("Kernel services")
struct KernelServicesTests {
    enum ClockKey: KernelServiceKey { typealias Value = String }

    @Test("a service the host did not provide is an error naming it, not a trap; a provided one is found")
    func missing() throws {
        var services = KernelServices()
        let error = #expect(throws: KernelServices.Missing.self) { try services.service(ClockKey.self) }
        #expect(error?.description == "kernel service ClockKey was not provided by the host")
        services[ClockKey.self] = "provided"
        #expect(try services.service(ClockKey.self) == "provided")
    }
}
