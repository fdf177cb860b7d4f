import Crypto
import Foundation

/// Seals and opens credential secrets with AES-GCM under the configured `secret_key`.
///
/// The gateway seals on upload (stored sealed) and puts the sealed box into job and shard messages; only
/// workers open it, so secrets never travel or rest in clear.
public struct CredentialSealer: Sendable {
    /// The raw key; `SymmetricKey` is built per call because it is not `Sendable`.
    private let keyBytes: Data
    private var key: SymmetricKey { SymmetricKey(data: keyBytes) }

    /// - Parameter base64Key: base64 of 32 bytes (`openssl rand -base64 32`).
    public init(base64Key: String) throws {
        guard let data = Data(base64Encoded: base64Key.trimmingCharacters(in: .whitespacesAndNewlines)), data.count == 32 else {
            throw ConfigurationError(key: "secret_key", message: "expected base64 of 32 bytes (openssl rand -base64 32)")
        }
        self.keyBytes = data
    }

    /// The AES-GCM combined box (nonce, ciphertext, tag) of the secret's JSON.
    public func seal(_ secret: CredentialSecret) throws -> Data {
        try seal(bytes: try MessageCoding.encoder().encode(secret))
    }

    public func open(_ combined: Data) throws -> CredentialSecret {
        try MessageCoding.decoder().decode(CredentialSecret.self, from: try open(bytes: combined))
    }

    /// The AES-GCM combined box of any secret bytes (a webhook's signing secret).
    public func seal(bytes plaintext: Data) throws -> Data {
        guard let combined = try AES.GCM.seal(plaintext, using: key).combined else {
            throw CredentialSealerError.sealingFailed
        }
        return combined
    }

    public func open(bytes combined: Data) throws -> Data {
        let box: AES.GCM.SealedBox
        do {
            box = try AES.GCM.SealedBox(combined: combined)
        } catch {
            throw CredentialSealerError.malformed
        }
        do {
            return try AES.GCM.open(box, using: key)
        } catch {
            throw CredentialSealerError.wrongKey
        }
    }

    /// Opens a credential as carried in job and shard messages.
    public func open(_ credential: SealedCredential) throws -> CredentialSecret {
        guard let data = Data(base64Encoded: credential.sealed) else { throw CredentialSealerError.malformed }
        return try open(data)
    }
}

public enum CredentialSealerError: Error, CustomStringConvertible {
    case sealingFailed
    case malformed
    /// The box was sealed under another `secret_key`.
    case wrongKey

    public var description: String {
        switch self {
        case .sealingFailed: return "could not seal the credential"
        case .malformed: return "the sealed credential is malformed"
        case .wrongKey: return "the credential cannot be opened with this secret_key (sealed under another key?)"
        }
    }
}
