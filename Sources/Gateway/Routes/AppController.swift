import Foundation
import Hummingbird
import Shared

/// `/api/v1/app`: deployments wrapped as a service. An app links playbooks and inventories; deploying it to an
/// env launches one job per playbook against the app's inventory of that env.
struct AppController {
    let services: GatewayServices

    var resource: ResourceRoutes<App> {
        ResourceRoutes(repository: services.apps, name: "app", listKey: "apps") { $0.json }
    }

    func addRoutes(to router: Router<GatewayRequestContext>) {
        router.post("/api/v1/app", use: create)
        router.get("/api/v1/app", use: resource.list)
        router.post("/api/v1/app/playbook", use: linkPlaybook)
        router.post("/api/v1/app/inventory", use: linkInventory)
        router.get("/api/v1/app/:id", use: get)
        router.delete("/api/v1/app/:id", use: resource.delete)
        router.post("/api/v1/app/:id/deploy", use: deploy)
    }

    @Sendable func create(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        var request = request
        let body = try await request.jsonBody(limit: services.maxBodySize)
        let appid = try body.nonEmptyString("appid")
        guard let app = try await services.apps.create(appid: appid) else {
            throw APIError(.conflict, code: "already_exists", message: "an app with appid '\(appid)' exists", field: "appid")
        }
        return JSONResponse.make(status: .created, value: app.json)
    }

    @Sendable func linkPlaybook(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        try await link(request, to: .playbook)
    }

    @Sendable func linkInventory(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        try await link(request, to: .inventory)
    }

    /// Links an app to a playbook or inventory: 201 when new, 200 when the link existed.
    private func link(_ request: Request, to target: AppLinkTarget) async throws -> Response {
        var request = request
        let body = try await request.jsonBody(limit: services.maxBodySize)
        let appID = try body.int("app_id", range: 1...Int64.max)
        let targetID = try body.int(target.field, range: 1...Int64.max)
        let outcome = try await services.apps.link(app: appID, to: target, id: targetID)
        switch outcome {
        case .appMissing:
            throw APIError(.notFound, code: "not_found", message: "app \(appID) does not exist", field: "app_id")
        case .targetMissing:
            throw APIError(.notFound, code: "not_found", message: "\(target.name) \(targetID) does not exist", field: target.field)
        case .created, .existed:
            return JSONResponse.make(
                status: outcome == .created ? .created : .ok, value: ["app_id": .int(appID), .init(target.field): .int(targetID)])
        }
    }

    /// The app with its playbooks and inventories (without their YAML texts).
    @Sendable func get(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let id = try context.id(of: "app")
        guard let app = try await services.apps.get(id: id), case .object(var object) = app.json else {
            throw APIError.notFound("app", id: "\(id)")
        }
        object["playbooks"] = .array(try await services.apps.playbooks(of: id).map(\.json))
        object["inventories"] = .array(try await services.apps.inventories(of: id, env: nil).map { $0.json(withText: false) })
        return JSONResponse.make(value: .object(object))
    }

    /// `{env, inventory_id?, ...job options}`: one job per playbook of the app, against its inventory for `env`
    /// (`inventory_id` chooses when the app has several for that env). All jobs are accepted together or none.
    @Sendable func deploy(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let id = try context.id(of: "app")
        var request = request
        let body = try await request.jsonBody(limit: services.maxBodySize)
        let (env, credentialID, options) = try JobLaunch.options(from: body)
        let chosenInventory = try body.optionalInt("inventory_id", range: 1...Int64.max)
        guard try await services.apps.get(id: id) != nil else { throw APIError.notFound("app", id: "\(id)") }
        let inventories = try await services.apps.inventories(of: id, env: env).map(\.id)
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
        let playbooks = try await services.apps.playbooks(of: id).map(\.id)
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
        let results = try await services.jobs.launchAll(launches)
        let jobs = try results.map { result -> JSONValue in try JSONValue(encoding: result.job) }
        let replayed = results.allSatisfy(\.replayed)
        return JSONResponse.make(
            status: .created, value: ["app_id": .int(id), "env": .string(env), "inventory_id": .int(inventoryID), "jobs": .array(jobs)],
            headers: replayed ? [.idempotentReplayed: "true"] : [:]
        )
    }
}
