import Crypto
import Foundation
import Shared

/// API tokens: random, shown once, stored as SHA-256.
enum TokenHasher {
    /// Prefix of every API token, so leaked tokens are recognisable.
    static let prefix = BearerTokenCheck.apiTokenPrefix

    /// A new token: the prefix and 32 random bytes in base64url.
    static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let text = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        return prefix + text
    }

    static func hash(_ token: String) -> [UInt8] {
        TokenCheck.digest(token)
    }

    /// Compares in time independent of where the inputs differ and of their lengths (`TokenCheck`).
    static func constantTimeEquals(_ lhs: String, _ rhs: String) -> Bool {
        TokenCheck.equals(lhs, rhs)
    }
}
