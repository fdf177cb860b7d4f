import Foundation
import Shared

/// Playbooks in a `GatewayMemoryStore`.
struct PlaybookMemoryRepository: PlaybookRepository {
    let store: GatewayMemoryStore

    func create(_ fields: PlaybookFields) async throws -> Playbook? {
        try store.update { tables in
            if let credentialID = fields.credentialID, tables.credentials[credentialID] == nil { return nil }
            let playbook = Playbook(
                id: tables.nextID("playbooks"), name: fields.name, gitRepo: fields.gitRepo, entry: fields.entry, ref: fields.ref,
                credentialID: fields.credentialID, createdAt: Date()
            )
            tables.playbooks[playbook.id] = playbook
            return playbook
        }
    }

    func list() async throws -> [Playbook] {
        store.read { $0.playbooks.values.sorted { $0.id < $1.id } }
    }

    func get(id: Int64) async throws -> Playbook? {
        store.read { $0.playbooks[id] }
    }

    func delete(id: Int64) async throws {
        try store.update { tables in
            guard tables.playbooks[id] != nil else { throw APIError.notFound("playbook", id: "\(id)") }
            try tables.refuseInUse("playbook", id: id) { $0.playbookID == id }
            tables.playbooks[id] = nil
            tables.appPlaybooks = tables.appPlaybooks.filter { $0[1] != id }
            for (jobID, job) in tables.jobs where job.playbookID == id { tables.jobs[jobID]?.playbookID = nil }
        }
    }
}
