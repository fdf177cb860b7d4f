import Foundation
import Shared

/// `#/components/schemas/Playbook`: a password in `git_repo` is hidden (``URLRedaction``); workers get it whole.
struct PlaybookView: Codable, Hashable, Sendable {
    var id: Int64
    var name: String
    var gitRepo: String
    var entry: String
    var ref: String?
    var credentialID: Int64?
    var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id, name, entry, ref
        case gitRepo = "git_repo"
        case credentialID = "credential_id"
        case createdAt = "created_at"
    }

    init(_ playbook: Playbook) {
        self.id = playbook.id
        self.name = playbook.name
        self.gitRepo = URLRedaction.redact(playbook.gitRepo)
        self.entry = playbook.entry
        self.ref = playbook.ref
        self.credentialID = playbook.credentialID
        self.createdAt = playbook.createdAt
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(gitRepo, forKey: .gitRepo)
        try container.encode(entry, forKey: .entry)
        try container.encode(ref, forKey: .ref)
        try container.encode(credentialID, forKey: .credentialID)
        try container.encode(createdAt, forKey: .createdAt)
    }
}
