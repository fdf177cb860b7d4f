import Foundation
import Shared

/// Inventories in a `GatewayMemoryStore`.
struct InventoryMemoryRepository: InventoryRepository {
    let store: GatewayMemoryStore

    func create(_ fields: InventoryFields) async throws -> InventoryRecord {
        try store.update { tables in
            let now = Date()
            let inventory = InventoryRecord(
                id: tables.nextID("inventories"), name: fields.name ?? "", env: fields.env ?? "", version: fields.version, hosts: fields.hosts,
                vars: fields.vars, hostCount: fields.hostCount, createdAt: now, updatedAt: now
            )
            tables.inventories[inventory.id] = inventory
            tables.inventoryVersions[inventory.id] = [inventory]
            return inventory
        }
    }

    func list(env: String?) async throws -> [InventoryRecord] {
        store.read { $0.inventories.values.filter { env == nil || $0.env == env }.sorted { $0.id < $1.id } }
    }

    func get(id: Int64) async throws -> InventoryRecord? {
        store.read { $0.inventories[id] }
    }

    func inventory(_ inventory: InventoryRecord, atVersion version: String) async throws -> InventoryRecord? {
        store.read { tables in
            guard let old = tables.inventoryVersions[inventory.id]?.first(where: { $0.version == version }) else { return nil }
            var shown = inventory
            shown.version = version
            shown.hosts = old.hosts
            shown.vars = old.vars
            shown.createdAt = old.createdAt
            shown.updatedAt = old.createdAt
            return shown
        }
    }

    func addVersion(id: Int64, _ fields: InventoryFields) async throws -> InventoryRecord {
        try store.update { tables in
            if tables.inventoryVersions[id]?.contains(where: { $0.version == fields.version }) == true {
                throw APIError(
                    .conflict, code: "version_exists", message: "inventory \(id) already has version '\(fields.version)'", field: "version")
            }
            guard var inventory = tables.inventories[id] else { throw APIError.notFound("inventory", id: "\(id)") }
            let now = Date()
            inventory.version = fields.version
            inventory.hosts = fields.hosts
            inventory.vars = fields.vars
            inventory.hostCount = fields.hostCount
            inventory.name = fields.name ?? inventory.name
            inventory.env = fields.env ?? inventory.env
            inventory.updatedAt = now
            tables.inventories[id] = inventory
            var version = inventory
            version.createdAt = now
            tables.inventoryVersions[id, default: []].append(version)
            return inventory
        }
    }

    func versions(id: Int64) async throws -> [InventoryVersion] {
        store.read { ($0.inventoryVersions[id] ?? []).map { InventoryVersion(version: $0.version, createdAt: $0.createdAt) } }
    }

    func delete(id: Int64) async throws {
        try store.update { tables in
            guard tables.inventories[id] != nil else { throw APIError.notFound("inventory", id: "\(id)") }
            try tables.refuseInUse("inventory", id: id) { $0.inventoryID == id }
            tables.inventories[id] = nil
            tables.inventoryVersions[id] = nil
            tables.appInventories = tables.appInventories.filter { $0[1] != id }
            for (jobID, job) in tables.jobs where job.inventoryID == id { tables.jobs[jobID]?.inventoryID = nil }
        }
    }
}
