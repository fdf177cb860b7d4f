import Foundation

/// `#/components/schemas/Inventory`: an inventory as shown; lists leave the YAML texts out.
struct InventoryView: ListedView {
    static let listKey = "inventories"
    var record: InventoryRecord
    /// Whether `hosts` and `vars` are shown (`vars` as null when there are none).
    var includesText = true

    enum CodingKeys: String, CodingKey {
        case id, name, env, version, hosts, vars
        case hostCount = "host_count"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(record.id, forKey: .id)
        try container.encode(record.name, forKey: .name)
        try container.encode(record.env, forKey: .env)
        try container.encode(record.version, forKey: .version)
        if includesText {
            try container.encode(record.hosts, forKey: .hosts)
            try container.encode(record.vars, forKey: .vars)
        }
        try container.encode(record.hostCount, forKey: .hostCount)
        try container.encode(record.createdAt, forKey: .createdAt)
        try container.encode(record.updatedAt, forKey: .updatedAt)
    }
}
