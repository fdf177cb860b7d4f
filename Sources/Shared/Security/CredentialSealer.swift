import Crypto
import Foundation

/// Seals and opens credentials with AES-256-GCM under the shared `secret_key`.
///
/// The key is base64 of 32 bytes; a sealed credential is base64 of the AES-GCM combined box (12-byte nonce,
/// ciphertext, 16-byte tag) of the JSON-encoded `CredentialSecret`. The gateway seals, workers open.
public struct CredentialSealer: Sendable {
    /// The key's bytes (`SymmetricKey` is not `Sendable`; one is made per use).
    private let keyBytes: [UInt8]
    private var key: SymmetricKey { SymmetricKey(data: keyBytes) }

    /// - Parameter secretKey: base64 of exactly 32 bytes.
    public init(secretKey: String) throws {
        guard let data = Data(base64Encoded: secretKey.trimmingCharacters(in: .whitespacesAndNewlines)), data.count == 32 else {
            throw CredentialSealerError.invalidKey
        }
        self.keyBytes = Array(data)
    }

    public func seal(_ secret: CredentialSecret) throws -> String {
        let plaintext = try MessageCoding.encoder().encode(secret)
        let box = try AES.GCM.seal(plaintext, using: key)
        guard let combined = box.combined else { throw CredentialSealerError.cannotSeal }
        return combined.base64EncodedString()
    }

    public func open(_ sealed: String) throws -> CredentialSecret {
        guard let data = Data(base64Encoded: sealed) else { throw CredentialSealerError.notBase64 }
        let plaintext: Data
        do {
            plaintext = try AES.GCM.open(AES.GCM.SealedBox(combined: data), using: key)
        } catch {
            throw CredentialSealerError.cannotOpen
        }
        do {
            return try MessageCoding.decoder().decode(CredentialSecret.self, from: plaintext)
        } catch {
            throw CredentialSealerError.notACredential
        }
    }
}

/// Why a credential could not be sealed or opened. Never carries key material or plaintext.
public enum CredentialSealerError: Error, Equatable, CustomStringConvertible {
    case invalidKey
    case cannotSeal
    case notBase64
    case cannotOpen
    case notACredential

    public var description: String {
        switch self {
        case .invalidKey: return "secret_key must be base64 of 32 bytes"
        case .cannotSeal: return "the credential could not be sealed"
        case .notBase64: return "the sealed credential is not base64"
        case .cannotOpen: return "the sealed credential does not open with this secret_key (wrong key or damaged)"
        case .notACredential: return "the opened credential is not a credential document"
        }
    }
}
