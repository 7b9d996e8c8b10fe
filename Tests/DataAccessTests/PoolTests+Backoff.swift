import DataAccess
import Foundation
import Synchronization
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

extension PoolTests {
    @Test("while no server answers, the pool backs off: 40 requests make far fewer connection attempts, and each gets an unavailable error")
    func connectBackoff() async throws {
        let listener = try RefusingListener()
        defer { listener.stop() }
        let database = Database(
            configuration: DatabaseConfiguration(
                url: "postgresql://postgres@127.0.0.1:\(listener.port)/none",
                poolSize: 4,
                acquireTimeout: .milliseconds(1500),
                connectTimeout: .seconds(2)
            ),
            logger: TestPostgres.logger
        )
        let failures = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<40 {
                group.addTask {
                    do {
                        _ = try await database.query("SELECT 1")
                        return false
                    } catch let error as DatabaseError {
                        return error.isUnavailable
                    } catch {
                        return false
                    }
                }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        await database.shutdown()
        #expect(failures == 40, "every request gets an unavailable error (503 at the edge)")
        #expect(listener.accepted < 20, "connection attempts while the server was away: \(listener.accepted)")
        #expect(listener.accepted >= 1)
    }
}

/// A TCP port on loopback that takes each connection and closes it at once: a server that is
/// there but does not answer as PostgreSQL. Counts the attempts.
private final class RefusingListener: Sendable {
    let port: Int
    private let descriptor: Int32
    private let counter = Counter()

    /// Connections accepted so far.
    var accepted: Int { counter.value.load(ordering: .relaxed) }

    private final class Counter: Sendable {
        let value = Atomic(0)
    }

    init() throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.descriptor = descriptor
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(descriptor, 64) == 0 else { throw POSIXError(.EADDRINUSE) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        let counter = self.counter
        let thread = Thread {
            while true {
                let client = accept(descriptor, nil, nil)
                guard client >= 0 else { return }
                counter.value.wrappingAdd(1, ordering: .relaxed)
                close(client)
            }
        }
        thread.start()
    }

    func stop() {
        shutdown(descriptor, Int32(SHUT_RDWR))
        close(descriptor)
    }
}
