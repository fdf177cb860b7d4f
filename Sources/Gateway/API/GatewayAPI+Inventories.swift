import Foundation
import Shared

/// `/api/v1/inventory`: the seed's inventories (`hosts` and `vars` as YAML text). Updating stores a new
/// version; every version is kept. Reading needs a viewer, changing an operator, both within the
/// inventory's env.
extension GatewayAPI {
    func createInventory(_ input: Operations.CreateInventory.Input) async throws -> Operations.CreateInventory.Output {
        let body =
            switch input.body {
            case .json(let body): body
            }
        let principal = try require(.operator)
        let fields = try InventoryFields.new(
            name: body.name, env: body.env, version: body.version, hosts: body.hosts, vars: body.vars, checker: services.inventory
        )
        if let env = fields.env {
            audit(env: env)
            try principal.requireScope(env: env, field: "env")
        }
        let inventory = try await services.inventories.create(fields)
        audit(resourceID: "\(inventory.id)")
        return .created(.init(body: .json(InventoryView(record: inventory))))
    }

    /// Without the YAML texts; `env` filters.
    func listInventories(_ input: Operations.ListInventories.Input) async throws -> Operations.ListInventories.Output {
        let principal = try require(.viewer)
        let inventories = try await services.inventories.list(env: Self.unlessBlank(input.query.env, trimming: []))
            .filter { principal.covers(env: $0.env) }
        return .ok(.init(body: .json(ResourceList(inventories.map { InventoryView(record: $0, includesText: false) }))))
    }

    /// The current version, or the one `version` names.
    func getInventory(_ input: Operations.GetInventory.Input) async throws -> Operations.GetInventory.Output {
        try require(.viewer)
        let inventory = try await requireInventory(input.path.id)
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
        let principal = try require(.operator)
        let id = try await requireInventory(input.path.id).id
        let body =
            switch input.body {
            case .json(let body): body
            }
        let fields = try InventoryFields.version(
            name: body.name, env: body.env, version: body.version, hosts: body.hosts, vars: body.vars, checker: services.inventory
        )
        // Moving an inventory to another env needs that env in scope too.
        if let env = fields.env { try principal.requireScope(env: env, field: "env") }
        return .ok(.init(body: .json(InventoryView(record: try await services.inventories.addVersion(id: id, fields)))))
    }

    func deleteInventory(_ input: Operations.DeleteInventory.Input) async throws -> Operations.DeleteInventory.Output {
        try require(.operator)
        try await services.inventories.delete(id: try await requireInventory(input.path.id).id)
        return .noContent(.init())
    }

    func inventoryVersions(_ input: Operations.InventoryVersions.Input) async throws -> Operations.InventoryVersions.Output {
        try require(.viewer)
        let inventory = try await requireInventory(input.path.id)
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
