import Foundation
import HTTPTypes
import NIOCore

#if canImport(Glibc)
import Glibc
#endif

/// The address a request came from, for the sign-in throttle: the connection's peer, or, when
/// the peer is one of `http.trustedProxies`, the last address in `X-Forwarded-For` that is not a
/// trusted proxy (a client can write anything in the header; only what the proxies appended is
/// theirs). An IPv6 address counts as its /64 network, which one client usually owns whole; an
/// IPv4-mapped IPv6 address as the IPv4 address. Without a peer (a test driving the router
/// without a socket) the address is `unknown`.
struct ClientAddress: Sendable {
    /// The proxies whose `X-Forwarded-For` is believed, in the form ``exact(_:)`` gives.
    let trustedProxies: Set<String>

    /// The address for the throttle, from the connection's peer and the request's headers.
    func address(peer: SocketAddress?, headers: HTTPFields) -> String {
        guard let peer, let peerKey = Self.key(peer) else { return "unknown" }
        guard trustedProxies.contains(Self.exact(peer)) else { return peerKey }
        let hops = headers[values: .xForwardedFor].flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        // From the right: each trusted proxy vouches for the hop before it.
        var client = peerKey
        for hop in hops.reversed() {
            // Not an address: the hop that wrote it (the last one believed) is the client.
            guard let parsed = try? SocketAddress(ipAddress: hop, port: 0), let key = Self.key(parsed) else { return client }
            client = key
            if !trustedProxies.contains(Self.exact(parsed)) { return key }
        }
        return client
    }

    /// An address as `http.trustedProxies` names it: as written, an IPv4-mapped IPv6 address as
    /// the IPv4 address.
    static func exact(_ address: SocketAddress) -> String {
        key(address).flatMap { $0.hasSuffix("/64") ? nil : $0 } ?? address.ipAddress ?? ""
    }

    /// The throttle's key of an address: IPv4 as written, IPv6 as its /64 network
    /// (`2001:db8:1:2::/64`), an IPv4-mapped IPv6 address as the IPv4 address.
    static func key(_ address: SocketAddress) -> String? {
        switch address {
        case .v4:
            return address.ipAddress
        case .v6(let v6):
            // The address is bytes 8..<24 of `sockaddr_in6` (family, port, flow information, address;
            // RFC 3493): read by offset, as naming `sin6_addr` needs NIO's internal C module once
            // the host links NIOPosix.
            let bytes = withUnsafeBytes(of: v6.address) { Array($0[8..<24]) }
            guard bytes.count == 16 else { return address.ipAddress }
            if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xff && bytes[11] == 0xff {
                return bytes[12..<16].map(String.init).joined(separator: ".")
            }
            let groups = stride(from: 0, to: 8, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }
            return groups.joined(separator: ":") + "::/64"
        case .unixDomainSocket:
            return nil
        }
    }

    /// Reads `http.trustedProxies`: addresses separated by commas.
    ///
    /// - Returns: The addresses, and the entries that are not addresses.
    static func parse(_ list: String) -> (proxies: Set<String>, invalid: [String]) {
        var proxies: Set<String> = []
        var invalid: [String] = []
        for entry in list.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !entry.isEmpty {
            if let address = try? SocketAddress(ipAddress: entry, port: 0) {
                proxies.insert(exact(address))
            } else {
                invalid.append(entry)
            }
        }
        return (proxies, invalid)
    }
}

extension HTTPField.Name {
    /// `X-Forwarded-For`, appended to by each proxy on the way.
    static let xForwardedFor = HTTPField.Name("X-Forwarded-For")!
}
