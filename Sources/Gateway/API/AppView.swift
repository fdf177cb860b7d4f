import Foundation

/// `#/components/schemas/App`: an app; shown alone, with its playbooks and inventories (without their texts).
struct AppView: Codable, Hashable, Sendable {
    var id: Int64
    var appid: String
    var createdAt: Date
    var playbooks: [PlaybookView]?
    var inventories: [InventoryView]?

    enum CodingKeys: String, CodingKey {
        case id, appid, playbooks, inventories
        case createdAt = "created_at"
    }

    init(_ app: App, playbooks: [Playbook]? = nil, inventories: [InventoryRecord]? = nil) {
        self.id = app.id
        self.appid = app.appid
        self.createdAt = app.createdAt
        self.playbooks = playbooks?.map(PlaybookView.init)
        self.inventories = inventories?.map { InventoryView($0, includesText: false) }
    }
}
