import Foundation

/// Playbooks.
protocol PlaybookRepository: ResourceRepository where Resource == Playbook {
    /// Stores a new playbook, or returns nil when its `credential_id` names no credential.
    func create(_ fields: PlaybookFields) async throws -> Playbook?
}
