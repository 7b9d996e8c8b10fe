import DataAccess
import Foundation
import HTTPTypes
import HostTestSupport
import Hummingbird
import HummingbirdTesting
import PluginKit
import TestSupport
import Testing

@testable import Host

/// Sign-in under attack (issue 19, point 6): attempts are counted atomically before the slow
/// check, a flood from one address locks the name for that address only, failures from many
/// addresses still lock it everywhere, an address that tries too often is throttled (429 with
/// `Retry-After`), and a hash made with older parameters is made anew at the next good sign-in.
@Suite("Sign-in: atomic counts, per-address throttle, re-hashing")
struct SignInThrottleTests {
    /// A migrated runtime with one officer (`user-officer`, ``HostFixture/pagePassword``), the
    /// loopback addresses trusted as proxies, and `security` settings from `settings`.
    static func runtime(_ settings: String) async throws -> HostRuntime {
        let url = try await TestPostgres.makeDatabaseURL()
        let extra = "security:\n" + settings.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n") + "\n"
        let yaml = HostFixture.yaml(url: url, features: "", extra: extra)
            .replacingOccurrences(of: "http:\n", with: "http:\n  trustedProxies: \"127.0.0.1, ::1\"\n")
        return try await HostFixture.officerRuntime(yaml: yaml, url: url)
    }

    /// A browser behind the trusted proxy, coming from `address`, with a sign-in form in hand.
    static func browser(_ client: any TestClientProtocol, from address: String?) async throws -> PageBrowser {
        var browser = PageBrowser(client)
        if let address { browser.extraHeaders[.xForwardedFor] = address }
        _ = try await browser.get("/login")
        return browser
    }

    /// One sign-in post; after an answer without a form (a throttled address's), the sign-in page first.
    static func signIn(_ browser: inout PageBrowser, _ name: String, _ password: String) async throws -> PageBrowser.Page {
        if !browser.lastPage.contains("name=\"_csrf\"") { _ = try await browser.get("/login") }
        return try await browser.post("/login", [("username", name), ("password", password), ("next", "/")])
    }

    /// A counter's attempts in `kernel.sign_in_counters`.
    static func failures(_ runtime: HostRuntime, scope: String, name: String, address: String) async throws -> Int? {
        try await runtime.database.query(
            "SELECT failures FROM kernel.sign_in_counters WHERE scope = \(scope) AND name = \(name) AND address = \(address)"
        ).first?.decode("failures", as: Int.self)
    }

    @Test("20 concurrent wrong sign-ins of one name are all counted: 5 are checked, 15 refused, and the name is locked")
    func concurrentFailuresAreCounted() async throws {
        let runtime = try await Self.runtime("signInAttempts: 5\nsignInAttemptsPerAddress: 100")
        try await buildApplication(runtime: runtime).test(.router) { client in
            let browser = try await Self.browser(client, from: nil)
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for attempt in 1...20 {
                    group.addTask {
                        var copy = browser
                        return try await Self.signIn(&copy, "user-officer", "wrong password \(attempt)").status
                    }
                }
                var statuses: [HTTPResponse.Status] = []
                for try await status in group { statuses.append(status) }
                return statuses
            }
            #expect(statuses.filter { $0 == .unprocessableContent }.count == 5, "\(statuses)")
            #expect(statuses.filter { $0 == .tooManyRequests }.count == 15, "\(statuses)")
            #expect(try await Self.failures(runtime, scope: "pair", name: "user-officer", address: "unknown") == 20)
            #expect(try await Self.failures(runtime, scope: "address", name: "", address: "unknown") == 20)
            var late = browser
            let locked = try await Self.signIn(&late, "user-officer", HostFixture.pagePassword)
            #expect(locked.status == .tooManyRequests)
            let retryAfter = try #require(locked.headers[.retryAfter].flatMap { Int($0) })
            #expect((1...SignInThrottle.windowSeconds).contains(retryAfter))
            #expect(late.cookies[SessionStore.cookieName] == nil)
        }
        await runtime.shutdown()
    }

    @Test("a flood from one address locks the name there only; failures from five addresses lock it everywhere")
    func floodFromOneAddress() async throws {
        let runtime = try await Self.runtime("signInAttempts: 5\nsignInAttemptsPerAddress: 20")
        try await buildApplication(runtime: runtime).test(.live) { client in
            var attacker = try await Self.browser(client, from: "198.51.100.7")
            var statuses: [HTTPResponse.Status] = []
            for attempt in 1...30 { statuses.append(try await Self.signIn(&attacker, "user-officer", "guess \(attempt)").status) }
            #expect(statuses.prefix(5).allSatisfy { $0 == .unprocessableContent }, "\(statuses)")
            #expect(statuses.dropFirst(5).allSatisfy { $0 == .tooManyRequests }, "\(statuses)")
            // The flood's address is locked for the name, even with the right password …
            #expect(try await Self.signIn(&attacker, "user-officer", HostFixture.pagePassword).status == .tooManyRequests)
            // … and throttled altogether after 20 attempts, with what the page says.
            let throttled = try await Self.signIn(&attacker, "user-auditor", "anything at all")
            #expect(throttled.status == .tooManyRequests)
            #expect(throttled.mainText.contains("från din adress"))
            #expect(throttled.headers[.retryAfter] != nil)
            #expect(!throttled.body.contains("name=\"password\""), "a throttled address gets a short page, not the form")
            // The user, from another address, signs in.
            var user = try await Self.browser(client, from: "192.0.2.10")
            let signedIn = try await Self.signIn(&user, "user-officer", HostFixture.pagePassword)
            #expect(signedIn.status == .seeOther)
            #expect(user.cookies[SessionStore.cookieName] != nil)

            // A guesser spread over five addresses, one wrong password each, locks the name everywhere.
            for host in 1...5 {
                var guesser = try await Self.browser(client, from: "203.0.113.\(host)")
                #expect(try await Self.signIn(&guesser, "user-officer", "spread guess \(host)").status == .unprocessableContent)
            }
            var elsewhere = try await Self.browser(client, from: "192.0.2.11")
            let locked = try await Self.signIn(&elsewhere, "user-officer", HostFixture.pagePassword)
            #expect(locked.status == .tooManyRequests)
            #expect(locked.mainText.contains("misslyckade inloggningar"))
            #expect(locked.headers[.retryAfter] != nil)
            // Another name is not locked.
            _ = try await runtime.users.add(name: "user-auditor", displayName: nil, role: .auditor, organisationID: nil, actor: .system)
            try await runtime.users.setPassword(user: "user-auditor", password: HostFixture.pagePassword, actor: .system)
            #expect(try await Self.signIn(&elsewhere, "user-auditor", HostFixture.pagePassword).status == .seeOther)
        }
        await runtime.shutdown()
    }

    @Test("an address that tries too many names is answered 429 with Retry-After; other addresses are not")
    func perAddressThrottle() async throws {
        let runtime = try await Self.runtime("signInAttempts: 5\nsignInAttemptsPerAddress: 3")
        try await buildApplication(runtime: runtime).test(.live) { client in
            var sprayer = try await Self.browser(client, from: "198.51.100.8")
            for name in ["anna", "bertil", "cecilia"] {
                #expect(try await Self.signIn(&sprayer, name, "Sommar2024!").status == .unprocessableContent)
            }
            let refused = try await Self.signIn(&sprayer, "user-officer", HostFixture.pagePassword)
            #expect(refused.status == .tooManyRequests)
            let retryAfter = try #require(refused.headers[.retryAfter].flatMap { Int($0) })
            #expect((1...SignInThrottle.windowSeconds).contains(retryAfter))
            #expect(sprayer.cookies[SessionStore.cookieName] == nil)
            // The names the sprayer tried were not counted past the throttle.
            #expect(try await Self.failures(runtime, scope: "pair", name: "user-officer", address: "198.51.100.8") == nil)
            var other = try await Self.browser(client, from: "192.0.2.12")
            #expect(try await Self.signIn(&other, "user-officer", HostFixture.pagePassword).status == .seeOther)
            // A header the client wrote before the proxy's is not believed: the proxy's last entry is.
            var forger = PageBrowser(client)
            forger.extraHeaders[.xForwardedFor] = "192.0.2.99, 198.51.100.8"
            _ = try await forger.get("/login")
            #expect(try await Self.signIn(&forger, "user-officer", HostFixture.pagePassword).status == .tooManyRequests)
        }
        await runtime.shutdown()
    }

    @Test("a hash made with older parameters is made anew at the next good sign-in, not at a wrong one")
    func oldHashIsUpgraded() async throws {
        let runtime = try await Self.runtime("signInAttempts: 5")
        let old = try PasswordHasher(cost: 11).hash(HostFixture.pagePassword)
        _ = try await runtime.database.execute("UPDATE kernel.users SET password_hash = \(old) WHERE name = 'user-officer'")
        let stored = { @Sendable in
            try await runtime.database.query("SELECT password_hash FROM kernel.users WHERE name = 'user-officer'").single()
                .decode("password_hash", as: String.self)
        }
        try await buildApplication(runtime: runtime).test(.router) { client in
            var browser = try await Self.browser(client, from: nil)
            #expect(try await Self.signIn(&browser, "user-officer", "not the password").status == .unprocessableContent)
            #expect(try await stored() == old)
            var first = try await Self.browser(client, from: nil)
            try await first.signIn("user-officer", password: HostFixture.pagePassword)
            let upgraded = try await stored()
            #expect(upgraded.hasPrefix("scrypt$\(1 << 10)$8$1$"), "\(upgraded)")
            #expect(!runtime.passwords.hasher.needsRehash(upgraded))
            #expect(PasswordHasher.verify(HostFixture.pagePassword, against: upgraded))
            // The session of the sign-in that upgraded it goes on; the new hash signs in too.
            #expect(try await first.get("/").status == .ok)
            var second = try await Self.browser(client, from: nil)
            try await second.signIn("user-officer", password: HostFixture.pagePassword)
            #expect(try await stored() == upgraded)
        }
        await runtime.shutdown()
    }

    @Test("password work runs on at most one thread per core and refuses what its queue cannot hold")
    func boundedPool() async throws {
        let hashing = PasswordHashing(cost: 10, threads: 1000)
        #expect(hashing.threads <= ProcessInfo.processInfo.activeProcessorCount)
        #expect(hashing.threads >= 1)
        #expect(PasswordHashing.defaultThreads <= max(1, ProcessInfo.processInfo.activeProcessorCount / 2))
        let hash = try await hashing.hash("a password of twelve")
        let good = try await hashing.verify("a password of twelve", against: hash)
        #expect(good.matches && good.rehashed == nil)
        #expect(try await hashing.verify("another password", against: hash).matches == false)
        #expect(try await hashing.verify("another password", against: nil).matches == false)
        await hashing.shutdown()
        await #expect(throws: PasswordHashingError.stopped) { try await hashing.hash("a password of twelve") }

        // One thread, 8 waiting at most: of 16 at once, some are refused at once.
        let single = PasswordHashing(cost: 12, threads: 1)
        #expect(single.maxWaiting == 8)
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for _ in 1...16 { group.addTask { (try? await single.hash("a password of twelve")) != nil } }
            var outcomes: [Bool] = []
            for await outcome in group { outcomes.append(outcome) }
            return outcomes
        }
        #expect(outcomes.contains(false), "\(outcomes)")
        #expect(outcomes.filter { $0 }.count <= 8 + single.threads, "\(outcomes)")
        await single.shutdown()
    }

    @Test("an attempt whose password was not checked (the hashing threads busy) is given back")
    func attemptGivenBack() async throws {
        let runtime = try await Self.runtime("signInAttempts: 5")
        let throttle = SignInThrottle(database: runtime.database, attempts: 5, attemptsPerAddress: 20)
        #expect(try await throttle.attempt(name: "user-officer", address: "192.0.2.1") == .proceed)
        #expect(try await Self.failures(runtime, scope: "name", name: "user-officer", address: "") == 1)
        try await throttle.givenBack(name: "user-officer", address: "192.0.2.1")
        #expect(try await Self.failures(runtime, scope: "address", name: "", address: "192.0.2.1") == 0)
        #expect(try await Self.failures(runtime, scope: "pair", name: "user-officer", address: "192.0.2.1") == 0)
        #expect(try await Self.failures(runtime, scope: "name", name: "user-officer", address: "") == 0)
        await runtime.shutdown()
    }
}
