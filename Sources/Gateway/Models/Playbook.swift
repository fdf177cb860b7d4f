import Foundation
import Shared

/// A playbook: a git repository, the playbook's path inside it, and optionally a ref and a credential.
struct Playbook: Sendable, Equatable {
    var id: Int64
    var name: String
    var gitRepo: String
    var entry: String
    var ref: String?
    var credentialID: Int64?
    var createdAt: Date

    /// As shown: a password in `git_repo` is hidden (``URLRedaction``); workers get it whole.
    var json: JSONValue {
        [
            "id": .int(id), "name": .string(name), "git_repo": .string(URLRedaction.redact(gitRepo)), "entry": .string(entry), "ref": .from(ref),
            "credential_id": .from(credentialID), "created_at": .from(createdAt),
        ]
    }
}

/// The checked fields of a new playbook.
struct PlaybookFields: Sendable {
    var name: String
    var gitRepo: String
    var entry: String
    var ref: String?
    var credentialID: Int64?
}
