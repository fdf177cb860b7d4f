import Foundation

/// `#/components/schemas/Inventory`: an inventory as shown; lists leave the YAML texts out.
struct InventoryView: Codable, Hashable, Sendable {
    var id: Int64
    var name: String
    var env: String
    var version: String
    var hosts: String?
    var vars: String?
    var hostCount: Int
    var createdAt: Date
    var updatedAt: Date
    /// Whether `hosts` and `vars` are shown (`vars` as null when there are none).
    var includesText = true

    enum CodingKeys: String, CodingKey {
        case id, name, env, version, hosts, vars
        case hostCount = "host_count"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    init(_ record: InventoryRecord, includesText: Bool = true) {
        self.id = record.id
        self.name = record.name
        self.env = record.env
        self.version = record.version
        self.hosts = record.hosts
        self.vars = record.vars
        self.hostCount = record.hostCount
        self.createdAt = record.createdAt
        self.updatedAt = record.updatedAt
        self.includesText = includesText
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(env, forKey: .env)
        try container.encode(version, forKey: .version)
        if includesText {
            try container.encode(hosts, forKey: .hosts)
            try container.encode(vars, forKey: .vars)
        }
        try container.encode(hostCount, forKey: .hostCount)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
    }
}
