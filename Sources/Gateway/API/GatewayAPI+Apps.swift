import Foundation
import Shared

/// `/api/v1/app`: deployments wrapped as a service. An app links playbooks and inventories; deploying it to an
/// env launches one job per playbook against the app's inventory of that env. Reading needs a viewer, changing
/// and deploying an operator; an app shows only the inventories in the token's scope.
extension GatewayAPI {
    func createApp(_ input: Operations.CreateApp.Input) async throws -> Operations.CreateApp.Output {
        let body =
            switch input.body {
            case .json(let body): body
            }
        try require(.operator)
        let appid = try Self.nonEmpty(body.appid, field: "appid")
        guard let app = try await services.apps.create(appid: appid) else {
            throw APIError(.conflict, code: "already_exists", message: "an app with appid '\(appid)' exists", field: "appid")
        }
        audit(resourceID: "\(app.id)")
        return .created(.init(body: .json(AppView(app: app))))
    }

    func listApps(_ input: Operations.ListApps.Input) async throws -> Operations.ListApps.Output {
        try require(.viewer)
        return .ok(.init(body: .json(ResourceList(try await services.apps.list().map { AppView(app: $0) }))))
    }

    /// Links an app to a playbook: 201 when new, 200 when the link existed.
    func linkAppPlaybook(_ input: Operations.LinkAppPlaybook.Input) async throws -> Operations.LinkAppPlaybook.Output {
        let body =
            switch input.body {
            case .json(let body): body
            }
        let created = try await link(app: body.appId, to: .playbook, id: body.playbookId)
        return created ? .created(.init(body: .json(body))) : .ok(.init(body: .json(body)))
    }

    /// Links an app to an inventory: 201 when new, 200 when the link existed.
    func linkAppInventory(_ input: Operations.LinkAppInventory.Input) async throws -> Operations.LinkAppInventory.Output {
        let body =
            switch input.body {
            case .json(let body): body
            }
        let created = try await link(app: body.appId, to: .inventory, id: body.inventoryId)
        return created ? .created(.init(body: .json(body))) : .ok(.init(body: .json(body)))
    }

    /// True when the link is new.
    private func link(app: Int, to target: AppLinkTarget, id: Int) async throws -> Bool {
        try require(.operator)
        let appID = try Self.int(app, field: "app_id", range: 1...Int64.max)
        let targetID = try Self.int(id, field: target.field, range: 1...Int64.max)
        audit(resourceID: "\(appID)")
        // An inventory outside the token's scope is linked no more than one that does not exist.
        if target == .inventory, let inventory = try await services.inventories.get(id: targetID), try !inScope(env: inventory.env) {
            throw APIError(.notFound, code: "not_found", message: "\(target.name) \(targetID) does not exist", field: target.field)
        }
        switch try await services.apps.link(app: appID, to: target, id: targetID) {
        case .appMissing:
            throw APIError(.notFound, code: "not_found", message: "app \(appID) does not exist", field: "app_id")
        case .targetMissing:
            throw APIError(.notFound, code: "not_found", message: "\(target.name) \(targetID) does not exist", field: target.field)
        case .created:
            return true
        case .existed:
            return false
        }
    }

    /// The app with its playbooks and inventories (without their YAML texts).
    func getApp(_ input: Operations.GetApp.Input) async throws -> Operations.GetApp.Output {
        let principal = try require(.viewer)
        let app = try await get(input.path.id, from: services.apps, name: "app")
        let playbooks = try await services.apps.playbooks(of: app.id)
        let inventories = try await services.apps.inventories(of: app.id, env: nil).filter { principal.covers(env: $0.env) }
        return .ok(.init(body: .json(AppView(app: app, playbooks: playbooks, inventories: inventories))))
    }

    func deleteApp(_ input: Operations.DeleteApp.Input) async throws -> Operations.DeleteApp.Output {
        try require(.operator)
        try await delete(input.path.id, from: services.apps, name: "app")
        return .noContent(.init())
    }

    /// `{env, inventory_id?, ...job options}`: one job per playbook of the app, against its inventory for `env`
    /// (`inventory_id` chooses when the app has several for that env). All jobs are accepted together or none.
    func deployApp(_ input: Operations.DeployApp.Input) async throws -> Operations.DeployApp.Output {
        let principal = try require(.operator)
        let id = try Self.id(input.path.id, of: "app")
        let body =
            switch input.body {
            case .json(let body): body
            }
        let (env, credentialID, options) = try JobLaunch.requested(env: body.value2.env, options: body.value1)
        audit(env: env)
        try principal.requireScope(env: env, field: "env")
        let chosenInventory = try Self.optionalInt(body.value2.inventoryId, field: "inventory_id", range: 1...Int64.max)
        guard try await services.apps.get(id: id) != nil else { throw APIError.notFound("app", id: "\(id)") }
        let inventoryID = try await inventory(of: id, env: env, chosen: chosenInventory)
        let playbooks = try await services.apps.playbooks(of: id).map(\.id)
        guard !playbooks.isEmpty else {
            throw APIError(.conflict, code: "no_playbook", message: "app \(id) has no playbook")
        }
        let key = try Self.idempotencyKey(input.headers.idempotencyKey)
        let launches = playbooks.map { playbookID in
            JobLaunch(
                env: env, playbookID: playbookID, inventoryID: inventoryID, credentialID: credentialID, appID: id, options: options,
                idempotencyKey: key.map { "\($0)/app/\(id)/playbook/\(playbookID)" }
            )
        }
        let results = try await services.jobs.launchAll(launches)
        let replayed = results.allSatisfy(\.replayed)
        return .created(
            .init(
                headers: .init(idempotentReplayed: replayed ? ._true : nil),
                body: .json(.init(appId: Int(id), env: env, inventoryId: Int(inventoryID), jobs: results.map(\.job)))
            )
        )
    }

    /// The app's inventory for `env`: the chosen one, or its only one.
    private func inventory(of app: Int64, env: String, chosen: Int64?) async throws -> Int64 {
        let inventories = try await services.apps.inventories(of: app, env: env).map(\.id)
        if let chosen {
            guard inventories.contains(chosen) else {
                throw APIError(
                    .badRequest, code: "invalid_field", message: "inventory \(chosen) is not an inventory of app \(app) for env '\(env)'",
                    field: "inventory_id"
                )
            }
            return chosen
        }
        guard let only = inventories.first else {
            throw APIError(.conflict, code: "no_inventory", message: "app \(app) has no inventory for env '\(env)'", field: "env")
        }
        guard inventories.count == 1 else {
            throw APIError(
                .conflict, code: "ambiguous_inventory",
                message: "app \(app) has \(inventories.count) inventories for env '\(env)'; choose one with inventory_id", field: "inventory_id"
            )
        }
        return only
    }
}
