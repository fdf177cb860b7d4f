import Foundation
import Shared

/// `#/components/schemas/Playbook`: a password in `git_repo` is hidden (``URLRedaction``); workers get it whole.
struct PlaybookView: ListedView {
    static let listKey = "playbooks"
    var playbook: Playbook

    enum CodingKeys: String, CodingKey {
        case id, name, entry, ref
        case gitRepo = "git_repo"
        case credentialID = "credential_id"
        case createdAt = "created_at"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(playbook.id, forKey: .id)
        try container.encode(playbook.name, forKey: .name)
        try container.encode(URLRedaction.redact(playbook.gitRepo), forKey: .gitRepo)
        try container.encode(playbook.entry, forKey: .entry)
        try container.encode(playbook.ref, forKey: .ref)
        try container.encode(playbook.credentialID, forKey: .credentialID)
        try container.encode(playbook.createdAt, forKey: .createdAt)
    }
}
