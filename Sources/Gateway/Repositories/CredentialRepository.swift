import Foundation

/// Credentials: metadata readable, secrets stored sealed and never read back here.
protocol CredentialRepository: ResourceRepository where Resource == Credential {
    /// Stores a new credential, or returns nil when one with that name exists.
    func create(_ fields: CredentialFields) async throws -> Credential?
}
