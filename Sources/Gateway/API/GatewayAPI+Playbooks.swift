import Foundation
import Shared

/// `/api/v1/playbook`: a git repository, the playbook's path inside it, and optionally a ref and a credential.
/// Playbooks belong to no env: reading needs a viewer, changing an operator (a job may use the playbook's
/// credential only where the credential allows, see `Credential.requireUsable`).
extension GatewayAPI {
    func createPlaybook(_ input: Operations.CreatePlaybook.Input) async throws -> Operations.CreatePlaybook.Output {
        let body =
            switch input.body {
            case .json(let body): body
            }
        try require(.operator)
        let name = try Self.nonEmpty(body.name, field: "name")
        let gitRepo = try Self.nonEmpty(body.gitRepo, field: "git_repo").trimmingCharacters(in: .whitespaces)
        let entry = try Self.nonEmpty(body.entry, field: "entry")
        let ref = Self.unlessBlank(body.ref)
        let credentialID = try Self.optionalInt(body.credentialId, field: "credential_id", range: 1...Int64.max)
        if let problem = PlaybookValidation.problem(gitRepo: gitRepo) { throw APIError.invalidField("git_repo", problem) }
        if let problem = PlaybookValidation.problem(entry: entry) { throw APIError.invalidField("entry", problem) }
        if let ref, let problem = PlaybookValidation.problem(ref: ref) { throw APIError.invalidField("ref", problem) }
        let fields = PlaybookFields(name: name, gitRepo: gitRepo, entry: entry, ref: ref, credentialID: credentialID)
        guard let playbook = try await services.playbooks.create(fields) else {
            throw APIError(.notFound, code: "not_found", message: "credential \(credentialID ?? 0) does not exist", field: "credential_id")
        }
        audit(resourceID: "\(playbook.id)")
        return .created(.init(body: .json(PlaybookView(playbook: playbook))))
    }

    func listPlaybooks(_ input: Operations.ListPlaybooks.Input) async throws -> Operations.ListPlaybooks.Output {
        try require(.viewer)
        return .ok(.init(body: .json(ResourceList(try await services.playbooks.list().map { PlaybookView(playbook: $0) }))))
    }

    func getPlaybook(_ input: Operations.GetPlaybook.Input) async throws -> Operations.GetPlaybook.Output {
        try require(.viewer)
        return .ok(.init(body: .json(PlaybookView(playbook: try await get(input.path.id, from: services.playbooks, name: "playbook")))))
    }

    func deletePlaybook(_ input: Operations.DeletePlaybook.Input) async throws -> Operations.DeletePlaybook.Output {
        try require(.operator)
        try await delete(input.path.id, from: services.playbooks, name: "playbook")
        return .noContent(.init())
    }
}
