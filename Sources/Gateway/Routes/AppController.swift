import Foundation
import Hummingbird
import PostgresNIO
import Shared

/// `/api/v1/app`: deployments wrapped as a service. An app links playbooks and inventories; deploying it to an
/// env launches one job per playbook against the app's inventory of that env.
struct AppController {
    let services: GatewayServices

    func addRoutes(to router: Router<GatewayRequestContext>) {
        router.post("/api/v1/app", use: create)
        router.get("/api/v1/app", use: list)
        router.post("/api/v1/app/playbook", use: linkPlaybook)
        router.post("/api/v1/app/inventory", use: linkInventory)
        router.get("/api/v1/app/:id", use: get)
        router.delete("/api/v1/app/:id", use: delete)
        router.post("/api/v1/app/:id/deploy", use: deploy)
    }

    @Sendable func create(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        var request = request
        let body = try await request.jsonBody(limit: services.maxBodySize)
        let appid = try body.nonEmptyString("appid")
        let rows = try await services.postgres.query(
            "INSERT INTO apps (appid) VALUES (\(appid)) ON CONFLICT (appid) DO NOTHING RETURNING id, created_at",
            logger: context.logger
        )
        for try await (id, createdAt) in rows.decode((Int64, Date).self) {
            return JSONResponse.make(status: .created, value: ["id": .int(id), "appid": .string(appid), "created_at": .from(createdAt)])
        }
        throw APIError(.conflict, code: "already_exists", message: "an app with appid '\(appid)' exists", field: "appid")
    }

    @Sendable func list(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let rows = try await services.postgres.query("SELECT id, appid, created_at FROM apps ORDER BY id", logger: context.logger)
        var items: [JSONValue] = []
        for try await (id, appid, createdAt) in rows.decode((Int64, String, Date).self) {
            items.append(["id": .int(id), "appid": .string(appid), "created_at": .from(createdAt)])
        }
        return JSONResponse.make(value: ["apps": .array(items)])
    }

    @Sendable func linkPlaybook(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        try await link(request, context: context, table: "app_playbooks", column: "playbook_id", target: "playbooks", what: "playbook")
    }

    @Sendable func linkInventory(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        try await link(request, context: context, table: "app_inventories", column: "inventory_id", target: "inventories", what: "inventory")
    }

    /// Links an app to a playbook or inventory: 201 when new, 200 when the link existed.
    /// - Parameters: `table`, `column`, `target` are constants of this file.
    private func link(
        _ request: Request, context: GatewayRequestContext, table: String, column: String, target: String, what: String
    ) async throws -> Response {
        var request = request
        let body = try await request.jsonBody(limit: services.maxBodySize)
        let appID = try body.int("app_id", range: 1...Int64.max)
        let targetID = try body.int(column, range: 1...Int64.max)
        let rows = try await services.postgres.query(
            """
            WITH inserted AS (
                INSERT INTO \(unescaped: table) (app_id, \(unescaped: column))
                SELECT a.id, t.id FROM apps a, \(unescaped: target) t WHERE a.id = \(appID) AND t.id = \(targetID)
                ON CONFLICT DO NOTHING
                RETURNING app_id
            )
            SELECT EXISTS (SELECT 1 FROM apps WHERE id = \(appID)), EXISTS (SELECT 1 FROM \(unescaped: target) WHERE id = \(targetID)),
                   EXISTS (SELECT 1 FROM inserted)
            """,
            logger: context.logger
        )
        for try await (appExists, targetExists, inserted) in rows.decode((Bool, Bool, Bool).self) {
            guard appExists else { throw APIError(.notFound, code: "not_found", message: "app \(appID) does not exist", field: "app_id") }
            guard targetExists else {
                throw APIError(.notFound, code: "not_found", message: "\(what) \(targetID) does not exist", field: column)
            }
            return JSONResponse.make(status: inserted ? .created : .ok, value: ["app_id": .int(appID), .init(column): .int(targetID)])
        }
        throw APIError(.internalServerError, code: "internal", message: "the link was not stored")
    }

    @Sendable func get(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let id = try context.id(of: "app")
        let logger = context.logger
        var app: JSONValue?
        for try await (appID, appid, createdAt) in try await services.postgres.query(
            "SELECT id, appid, created_at FROM apps WHERE id = \(id)", logger: logger
        ).decode((Int64, String, Date).self) {
            app = ["id": .int(appID), "appid": .string(appid), "created_at": .from(createdAt)]
        }
        guard case .object(var object) = app else { throw APIError.notFound("app", id: "\(id)") }
        var playbooks: [JSONValue] = []
        for try await row in try await services.postgres.query(
            """
            SELECT p.id, p.name, p.git_repo, p.entry, p.ref, p.credential_id, p.created_at
            FROM app_playbooks l JOIN playbooks p ON p.id = l.playbook_id WHERE l.app_id = \(id) ORDER BY p.id
            """,
            logger: logger
        ).decode(PlaybookController.Row.self) {
            playbooks.append(PlaybookController.json(row))
        }
        var inventories: [JSONValue] = []
        for try await row in try await services.postgres.query(
            """
            SELECT i.id, i.name, i.env, i.version, i.hosts, i.vars, i.host_count, i.created_at, i.updated_at
            FROM app_inventories l JOIN inventories i ON i.id = l.inventory_id WHERE l.app_id = \(id) ORDER BY i.id
            """,
            logger: logger
        ).decode(InventoryController.Row.self) {
            inventories.append(InventoryController.json(row, withText: false))
        }
        object["playbooks"] = .array(playbooks)
        object["inventories"] = .array(inventories)
        return JSONResponse.make(value: .object(object))
    }

    @Sendable func delete(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let id = try context.id(of: "app")
        try await ResourceDeletion.delete(
            table: "apps", jobColumn: "app_id", id: id, what: "app", postgres: services.postgres, logger: context.logger)
        return Response(status: .noContent)
    }

    /// `{env, inventory_id?, ...job options}`: one job per playbook of the app, against its inventory for `env`
    /// (`inventory_id` chooses when the app has several for that env). All jobs are accepted together or none.
    @Sendable func deploy(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let id = try context.id(of: "app")
        var request = request
        let body = try await request.jsonBody(limit: services.maxBodySize)
        let (env, credentialID, options) = try JobLaunch.options(from: body)
        let chosenInventory = try body.optionalInt("inventory_id", range: 1...Int64.max)
        let logger = context.logger
        var exists = false
        for try await _ in try await services.postgres.query("SELECT id FROM apps WHERE id = \(id)", logger: logger).decode(Int64.self) {
            exists = true
        }
        guard exists else { throw APIError.notFound("app", id: "\(id)") }
        var inventories: [Int64] = []
        for try await inventoryID in try await services.postgres.query(
            """
            SELECT i.id FROM app_inventories l JOIN inventories i ON i.id = l.inventory_id
            WHERE l.app_id = \(id) AND i.env = \(env) ORDER BY i.id
            """,
            logger: logger
        ).decode(Int64.self) {
            inventories.append(inventoryID)
        }
        let inventoryID: Int64
        if let chosenInventory {
            guard inventories.contains(chosenInventory) else {
                throw APIError(
                    .badRequest, code: "invalid_field", message: "inventory \(chosenInventory) is not an inventory of app \(id) for env '\(env)'",
                    field: "inventory_id"
                )
            }
            inventoryID = chosenInventory
        } else {
            guard let only = inventories.first else {
                throw APIError(.conflict, code: "no_inventory", message: "app \(id) has no inventory for env '\(env)'", field: "env")
            }
            guard inventories.count == 1 else {
                throw APIError(
                    .conflict, code: "ambiguous_inventory",
                    message: "app \(id) has \(inventories.count) inventories for env '\(env)'; choose one with inventory_id", field: "inventory_id"
                )
            }
            inventoryID = only
        }
        var playbooks: [Int64] = []
        for try await playbookID in try await services.postgres.query(
            "SELECT playbook_id FROM app_playbooks WHERE app_id = \(id) ORDER BY playbook_id", logger: logger
        ).decode(Int64.self) {
            playbooks.append(playbookID)
        }
        guard !playbooks.isEmpty else {
            throw APIError(.conflict, code: "no_playbook", message: "app \(id) has no playbook")
        }
        let key = request.headers[.idempotencyKey]
        let launches = playbooks.map { playbookID in
            JobLaunch(
                env: env, playbookID: playbookID, inventoryID: inventoryID, credentialID: credentialID, appID: id, options: options,
                idempotencyKey: key.map { "\($0)/app/\(id)/playbook/\(playbookID)" }
            )
        }
        let results = try await services.launcher.launchAll(launches, logger: logger)
        let jobs = try results.map { result -> JSONValue in try JSONValue(encoding: result.job) }
        let replayed = results.allSatisfy(\.replayed)
        return JSONResponse.make(
            status: .created, value: ["app_id": .int(id), "env": .string(env), "inventory_id": .int(inventoryID), "jobs": .array(jobs)],
            headers: replayed ? [.idempotentReplayed: "true"] : [:]
        )
    }
}
