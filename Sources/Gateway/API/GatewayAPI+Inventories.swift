import Foundation
import Shared

/// `/api/v1/inventory`: the seed's inventories (`hosts` and `vars` as YAML text). Updating stores a new
/// version; every version is kept.
extension GatewayAPI {
    func createInventory(_ input: Operations.CreateInventory.Input) async throws -> Operations.CreateInventory.Output {
        let body =
            switch input.body {
            case .json(let body): body
            }
        let fields = try InventoryFields.new(
            name: body.name, env: body.env, version: body.version, hosts: body.hosts, vars: body.vars, checker: services.inventory
        )
        return .created(.init(body: .json(InventoryView(record: try await services.inventories.create(fields)))))
    }

    /// Without the YAML texts; `env` filters.
    func listInventories(_ input: Operations.ListInventories.Input) async throws -> Operations.ListInventories.Output {
        let inventories = try await services.inventories.list(env: Self.unlessBlank(input.query.env, trimming: []))
        return .ok(.init(body: .json(ResourceList(inventories.map { InventoryView(record: $0, includesText: false) }))))
    }

    /// The current version, or the one `version` names.
    func getInventory(_ input: Operations.GetInventory.Input) async throws -> Operations.GetInventory.Output {
        let inventory = try await get(input.path.id, from: services.inventories, name: "inventory")
        guard let version = Self.unlessBlank(input.query.version, trimming: []), version != inventory.version else {
            return .ok(.init(body: .json(InventoryView(record: inventory))))
        }
        guard let old = try await services.inventories.inventory(inventory, atVersion: version) else {
            throw APIError(.notFound, code: "not_found", message: "inventory \(inventory.id) has no version '\(version)'", field: "version")
        }
        return .ok(.init(body: .json(InventoryView(record: old))))
    }

    /// A new version: `version` and `hosts` are required, `vars` replaces the old vars, `name` and `env` may change.
    func updateInventory(_ input: Operations.UpdateInventory.Input) async throws -> Operations.UpdateInventory.Output {
        let id = try Self.id(input.path.id, of: "inventory")
        let body =
            switch input.body {
            case .json(let body): body
            }
        let fields = try InventoryFields.version(
            name: body.name, env: body.env, version: body.version, hosts: body.hosts, vars: body.vars, checker: services.inventory
        )
        return .ok(.init(body: .json(InventoryView(record: try await services.inventories.addVersion(id: id, fields)))))
    }

    func deleteInventory(_ input: Operations.DeleteInventory.Input) async throws -> Operations.DeleteInventory.Output {
        try await delete(input.path.id, from: services.inventories, name: "inventory")
        return .noContent(.init())
    }

    func inventoryVersions(_ input: Operations.InventoryVersions.Input) async throws -> Operations.InventoryVersions.Output {
        let inventory = try await get(input.path.id, from: services.inventories, name: "inventory")
        let versions = try await services.inventories.versions(id: inventory.id)
        return .ok(
            .init(
                body: .json(
                    .init(inventoryId: Int(inventory.id), versions: versions.map { .init(version: $0.version, createdAt: $0.createdAt) })
                )
            )
        )
    }
}
