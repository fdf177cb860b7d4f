import Foundation

/// Inventories and their versions.
protocol InventoryRepository: ResourceRepository where Resource == InventoryRecord {
    /// Stores a new inventory and its first version together.
    func create(_ fields: InventoryFields) async throws -> InventoryRecord
    /// Inventories of `env` (every one when nil), in id order.
    func list(env: String?) async throws -> [InventoryRecord]
    /// The inventory as it was at `version`, or nil when it has no such version.
    func inventory(_ inventory: InventoryRecord, atVersion version: String) async throws -> InventoryRecord?
    /// Stores a new version (and the new name and env, when given) and makes it current: 409 `version_exists`
    /// when the inventory has that version already, 404 when there is no such inventory.
    func addVersion(id: Int64, _ fields: InventoryFields) async throws -> InventoryRecord
    /// Every version of an inventory, oldest first.
    func versions(id: Int64) async throws -> [InventoryVersion]
}

extension InventoryRepository {
    func list() async throws -> [InventoryRecord] {
        try await list(env: nil)
    }
}
