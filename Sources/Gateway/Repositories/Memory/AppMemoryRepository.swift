import Foundation
import Shared

/// Apps in a `GatewayMemoryStore`.
struct AppMemoryRepository: AppRepository {
    let store: GatewayMemoryStore

    func create(appid: String) async throws -> App? {
        try store.update { tables in
            guard !tables.apps.values.contains(where: { $0.appid == appid }) else { return nil }
            let app = App(id: tables.nextID("apps"), appid: appid, createdAt: Date())
            tables.apps[app.id] = app
            return app
        }
    }

    func list() async throws -> [App] {
        store.read { $0.apps.values.sorted { $0.id < $1.id } }
    }

    func get(id: Int64) async throws -> App? {
        store.read { $0.apps[id] }
    }

    func delete(id: Int64) async throws {
        try store.update { tables in
            guard tables.apps[id] != nil else { throw APIError.notFound("app", id: "\(id)") }
            try tables.refuseInUse("app", id: id) { $0.appID == id }
            tables.apps[id] = nil
            tables.appPlaybooks = tables.appPlaybooks.filter { $0[0] != id }
            tables.appInventories = tables.appInventories.filter { $0[0] != id }
            for (jobID, job) in tables.jobs where job.appID == id { tables.jobs[jobID]?.appID = nil }
        }
    }

    func link(app: Int64, to target: AppLinkTarget, id: Int64) async throws -> AppLinkOutcome {
        try store.update { tables in
            guard tables.apps[app] != nil else { return .appMissing }
            switch target {
            case .playbook:
                guard tables.playbooks[id] != nil else { return .targetMissing }
                return tables.appPlaybooks.insert([app, id]).inserted ? .created : .existed
            case .inventory:
                guard tables.inventories[id] != nil else { return .targetMissing }
                return tables.appInventories.insert([app, id]).inserted ? .created : .existed
            }
        }
    }

    func playbooks(of app: Int64) async throws -> [Playbook] {
        store.read { tables in tables.appPlaybooks.filter { $0[0] == app }.compactMap { tables.playbooks[$0[1]] }.sorted { $0.id < $1.id } }
    }

    func inventories(of app: Int64, env: String?) async throws -> [InventoryRecord] {
        store.read { tables in
            tables.appInventories.filter { $0[0] == app }.compactMap { tables.inventories[$0[1]] }.filter { env == nil || $0.env == env }
                .sorted { $0.id < $1.id }
        }
    }
}
