import Crypto
import Foundation

/// The one bearer-token check of the gateway and the collector.
///
/// Tokens are compared through their SHA-256 digests with a loop that looks at every byte whatever the
/// inputs, so neither where two tokens differ nor how long they are shows in the time it takes. API tokens
/// are stored by the same digest (`api_tokens.token_hash`).
public enum TokenCheck {
    /// The digest an API token is stored and looked up by.
    public static func digest(_ token: String) -> [UInt8] {
        Array(SHA256.hash(data: Array(token.utf8)))
    }

    /// True when both tokens are the same, in time independent of their contents and lengths.
    public static func equals(_ lhs: String, _ rhs: String) -> Bool {
        constantTimeEquals(digest(lhs), digest(rhs))
    }

    /// True when `token` is the configured admin token; no admin token (nil or empty) matches nothing.
    public static func isAdmin(_ token: String, adminToken: String?) -> Bool {
        let admin = adminToken ?? ""
        // Compare even without an admin token, so its absence does not show either.
        let same = equals(token, admin)
        return !admin.isEmpty && !token.isEmpty && same
    }

    /// Compares two digests of equal length (SHA-256) byte by byte without stopping early.
    static func constantTimeEquals(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for index in lhs.indices {
            difference |= lhs[index] ^ rhs[index]
        }
        return difference == 0
    }
}
