import Hummingbird
import NIOCore
import ServiceLifecycle

#if canImport(Glibc)
import Glibc
#endif

/// The metrics listener (``buildMetricsApplication(runtime:)``) as a service of the host's
/// `ServiceGroup`: it stops with the host, and a port it cannot listen on stops the host with a
/// message naming `metrics.address`.
struct MetricsListener: Service {
    let application: Application<RouterResponder<BasicRequestContext>>
    /// Where it listens, for the message.
    let setting: HostConfiguration.MetricsSettings

    func run() async throws {
        do {
            try await application.run()
        } catch let error as IOError where error.errnoCode == EADDRINUSE || error.errnoCode == EACCES {
            throw CommandFailure(
                "cannot listen on \(setting.host ?? "?"):\(setting.port) for /metrics: "
                    + (error.errnoCode == EADDRINUSE ? "the address is in use" : "permission denied")
                    + " (set metrics.address, or empty it for no metrics listener)"
            )
        }
    }
}
