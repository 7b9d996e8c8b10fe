import Crypto
public import Foundation
import Synchronization

/// The opaque, tamper-proof cursor of a paged list: the id of the previous page's last item and
/// an HMAC of it under a key that the host derives from its secret, so a client can only hand
/// back a cursor this host (or another host of the same installation) made. A forged, altered
/// or old-style cursor is refused with 400 `invalid-cursor`. The stores also apply the caller's
/// reach when they look the cursor's row up, so even a real cursor of another user's list
/// reveals nothing out of reach.
public enum PageCursor {
    /// The signing key, fixed for the life of the process by whichever comes first: the host
    /// setting the installation's key at start-up, or the first cursor made or read (a random
    /// key, for a process with no host, such as a test of a store). A process serves one
    /// installation, so a key that changed under a client's feet could only break its paging.
    private static let key = Mutex<SymmetricKey?>(nil)

    /// Sets the signing key, derived from the host's secret, so every host of an installation
    /// accepts the others' cursors. The first key wins: once a key is set or a cursor has been
    /// made or read, later calls change nothing.
    ///
    /// - Parameter bytes: The key material (32 bytes).
    /// - Returns: `true` when this key is the one in use (set now, or the same as before).
    @discardableResult
    public static func useKey(_ bytes: Data) -> Bool {
        let wanted = SymmetricKey(data: bytes)
        return key.withLock { current in
            if current == nil { current = wanted }
            return current == wanted
        }
    }

    /// The cursor that continues after the item with `id`.
    static func seal(after id: Int) -> String {
        let body = String(id, radix: 36)
        return "c" + body + "." + tag(body)
    }

    /// The id a cursor continues after, or `nil` for one this installation did not make.
    static func open(_ cursor: String) -> Int? {
        guard cursor.hasPrefix("c"), let dot = cursor.firstIndex(of: ".") else { return nil }
        let body = String(cursor[cursor.index(after: cursor.startIndex)..<dot])
        let given = Array(cursor[cursor.index(after: dot)...].utf8)
        guard let id = Int(body, radix: 36), id > 0, String(id, radix: 36) == body else { return nil }
        // Compared in constant time: the tag must not be guessable byte by byte.
        let expected = Array(tag(body).utf8)
        guard given.count == expected.count else { return nil }
        return zip(given, expected).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0 ? id : nil
    }

    /// 128 bits of the HMAC, base64url without padding.
    private static func tag(_ body: String) -> String {
        let code = key.withLock { current in
            let signing = current ?? SymmetricKey(size: .bits256)
            current = signing
            return HMAC<SHA256>.authenticationCode(for: Data(("page cursor:" + body).utf8), using: signing)
        }
        return Data(code.prefix(16)).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
