import Foundation
import Shared

/// A playbook: a git repository, the playbook's path inside it, and optionally a ref and a credential.
struct Playbook: Sendable, Hashable {
    var id: Int64
    var name: String
    var gitRepo: String
    var entry: String
    var ref: String?
    var credentialID: Int64?
    var createdAt: Date
}

/// The checked fields of a new playbook.
struct PlaybookFields: Sendable {
    var name: String
    var gitRepo: String
    var entry: String
    var ref: String?
    var credentialID: Int64?
}
