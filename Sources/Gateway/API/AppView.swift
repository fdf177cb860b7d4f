import Foundation

/// `#/components/schemas/App`: an app; shown alone, with its playbooks and inventories (without their texts).
struct AppView: ListedView {
    static let listKey = "apps"
    var app: App
    var playbooks: [Playbook]?
    var inventories: [InventoryRecord]?

    enum CodingKeys: String, CodingKey {
        case id, appid, playbooks, inventories
        case createdAt = "created_at"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(app.id, forKey: .id)
        try container.encode(app.appid, forKey: .appid)
        try container.encode(app.createdAt, forKey: .createdAt)
        try container.encodeIfPresent(playbooks?.map { PlaybookView(playbook: $0) }, forKey: .playbooks)
        try container.encodeIfPresent(inventories?.map { InventoryView(record: $0, includesText: false) }, forKey: .inventories)
    }
}
