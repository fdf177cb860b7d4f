import Foundation

/// `#/components/schemas/AuditEntry`: one recorded call, every field shown (null when absent).
struct AuditEntryView: ListedView {
    static let listKey = "entries"
    var entry: AuditEntry

    enum CodingKeys: String, CodingKey {
        case id, at, method, path, action, resource, env, status
        case tokenID = "token_id"
        case tokenName = "token_name"
        case resourceID = "resource_id"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(entry.id, forKey: .id)
        try container.encode(entry.at, forKey: .at)
        try container.encode(entry.tokenID, forKey: .tokenID)
        try container.encode(entry.tokenName, forKey: .tokenName)
        try container.encode(entry.method, forKey: .method)
        try container.encode(entry.path, forKey: .path)
        try container.encode(entry.action, forKey: .action)
        try container.encode(entry.resource, forKey: .resource)
        try container.encode(entry.resourceID, forKey: .resourceID)
        try container.encode(entry.env, forKey: .env)
        try container.encode(entry.status, forKey: .status)
    }
}
