import Foundation
import Hummingbird
import Shared

/// `/api/v1/inventory`: the seed's inventories (`hosts` and `vars` as YAML text). Updating stores a new
/// version; every version is kept.
struct InventoryController {
    let services: GatewayServices

    var resource: ResourceRoutes<InventoryRecord> {
        ResourceRoutes(repository: services.inventories, name: "inventory", listKey: "inventories") { $0.json() }
    }

    func addRoutes(to router: Router<GatewayRequestContext>) {
        router.post("/api/v1/inventory", use: create)
        router.get("/api/v1/inventory", use: list)
        router.get("/api/v1/inventory/:id", use: get)
        router.put("/api/v1/inventory/:id", use: update)
        router.delete("/api/v1/inventory/:id", use: resource.delete)
        router.get("/api/v1/inventory/:id/versions", use: versions)
        router.get("/api/v1/inventory/:id/ansible", use: ansible)
    }

    /// The fields of a new inventory, checked.
    static func fields(from body: JSONBody, checker: InventoryChecker) throws(APIError) -> InventoryFields {
        let name = try body.nonEmptyString("name")
        let env = try body.nonEmptyString("env")
        let version = try body.nonEmptyString("version")
        let hosts = try body.nonEmptyString("hosts")
        let vars = try body.optionalString("vars").flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 }
        let checked = try checker.check(hosts: hosts, vars: vars)
        return InventoryFields(name: name, env: env, version: version, hosts: hosts, vars: vars, hostCount: checked.hostCount)
    }

    @Sendable func create(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        var request = request
        let body = try await request.jsonBody(limit: services.maxBodySize)
        let inventory = try await services.inventories.create(try Self.fields(from: body, checker: services.inventory))
        return JSONResponse.make(status: .created, value: inventory.json())
    }

    /// Without the YAML texts; `env` filters.
    @Sendable func list(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let inventories = try await services.inventories.list(env: request.queryString("env"))
        return JSONResponse.make(value: ["inventories": .array(inventories.map { $0.json(withText: false) })])
    }

    /// The current version, or the one `version` names.
    @Sendable func get(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let id = try context.id(of: "inventory")
        guard let inventory = try await services.inventories.get(id: id) else { throw APIError.notFound("inventory", id: "\(id)") }
        guard let version = request.queryString("version"), version != inventory.version else {
            return JSONResponse.make(value: inventory.json())
        }
        guard let old = try await services.inventories.inventory(inventory, atVersion: version) else {
            throw APIError(.notFound, code: "not_found", message: "inventory \(id) has no version '\(version)'", field: "version")
        }
        return JSONResponse.make(value: old.json())
    }

    /// A new version: `version` and `hosts` are required, `vars` replaces the old vars, `name` and `env` may change.
    @Sendable func update(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let id = try context.id(of: "inventory")
        var request = request
        let body = try await request.jsonBody(limit: services.maxBodySize)
        let version = try body.nonEmptyString("version")
        let hosts = try body.nonEmptyString("hosts")
        let vars = try body.optionalString("vars").flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 }
        let name = try body.optionalString("name").flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
        let env = try body.optionalString("env").flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
        let checked = try services.inventory.check(hosts: hosts, vars: vars)
        let inventory = try await services.inventories.addVersion(
            id: id, InventoryFields(name: name, env: env, version: version, hosts: hosts, vars: vars, hostCount: checked.hostCount)
        )
        return JSONResponse.make(value: inventory.json())
    }

    @Sendable func versions(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let id = try context.id(of: "inventory")
        guard try await services.inventories.get(id: id) != nil else { throw APIError.notFound("inventory", id: "\(id)") }
        let versions = try await services.inventories.versions(id: id)
        return JSONResponse.make(
            value: [
                "inventory_id": .int(id), "versions": .array(versions.map { ["version": .string($0.version), "created_at": .from($0.createdAt)] }),
            ]
        )
    }

    /// Ansible's dynamic-inventory JSON (`ansible-inventory --list`).
    @Sendable func ansible(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let id = try context.id(of: "inventory")
        guard let inventory = try await services.inventories.get(id: id) else { throw APIError.notFound("inventory", id: "\(id)") }
        let listing = try services.inventory.ansibleList(hosts: inventory.hosts, vars: inventory.vars)
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: listing)))
    }
}
