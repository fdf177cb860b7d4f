import Foundation
import Hummingbird
import Shared

/// `/api/v1/playbook`: a git repository, the playbook's path inside it, and optionally a ref and a credential.
struct PlaybookController {
    let services: GatewayServices

    var resource: ResourceRoutes<Playbook> {
        ResourceRoutes(repository: services.playbooks, name: "playbook", listKey: "playbooks") { $0.json }
    }

    func addRoutes(to router: Router<GatewayRequestContext>) {
        router.post("/api/v1/playbook", use: create)
        router.get("/api/v1/playbook", use: resource.list)
        router.get("/api/v1/playbook/:id", use: resource.get)
        router.delete("/api/v1/playbook/:id", use: resource.delete)
    }

    @Sendable func create(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        var request = request
        let body = try await request.jsonBody(limit: services.maxBodySize)
        let name = try body.nonEmptyString("name")
        let gitRepo = try body.nonEmptyString("git_repo").trimmingCharacters(in: .whitespaces)
        let entry = try body.nonEmptyString("entry")
        let ref = try body.optionalString("ref").flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
        let credentialID = try body.optionalInt("credential_id", range: 1...Int64.max)
        if let problem = PlaybookValidation.problem(gitRepo: gitRepo) { throw APIError.invalidField("git_repo", problem) }
        if let problem = PlaybookValidation.problem(entry: entry) { throw APIError.invalidField("entry", problem) }
        if let ref, let problem = PlaybookValidation.problem(ref: ref) { throw APIError.invalidField("ref", problem) }
        let fields = PlaybookFields(name: name, gitRepo: gitRepo, entry: entry, ref: ref, credentialID: credentialID)
        guard let playbook = try await services.playbooks.create(fields) else {
            throw APIError(.notFound, code: "not_found", message: "credential \(credentialID ?? 0) does not exist", field: "credential_id")
        }
        return JSONResponse.make(status: .created, value: playbook.json)
    }
}

/// Rules for playbook fields (pure).
enum PlaybookValidation {
    /// Why `entry` is refused, or nil: a relative path inside the repository, without `..`.
    static func problem(entry: String) -> String? {
        if entry.hasPrefix("/") || entry.hasPrefix("~") || entry.hasPrefix("\\") { return "must be a path relative to the repository, not absolute" }
        if entry.contains("\0") || entry.contains("\n") { return "must not contain control characters" }
        let components = entry.split(whereSeparator: { $0 == "/" || $0 == "\\" })
        if components.contains("..") { return "must not contain '..'" }
        if components.isEmpty || entry.hasSuffix("/") { return "must name a playbook file" }
        return nil
    }

    /// Why `git_repo` is refused, or nil: ssh (`ssh://`, `user@host:path`, `user@host`), `https://`, `http://`, `git://`,
    /// `file://` or an absolute local path.
    static func problem(gitRepo: String) -> String? {
        if gitRepo.contains(where: { $0.isWhitespace || $0 == "\0" }) { return "must not contain spaces or control characters" }
        if gitRepo.hasPrefix("-") { return "must not start with '-'" }
        let lower = gitRepo.lowercased()
        for scheme in ["ssh://", "https://", "http://", "git://", "file://"] where lower.hasPrefix(scheme) {
            return gitRepo.count > scheme.count ? nil : "the URL has no host or path"
        }
        if lower.contains("::") { return "git transport helpers (name::address) are not allowed" }
        if gitRepo.hasPrefix("/") { return nil }
        // ssh as user@host (the seed's `git@some_repo.git`)
        if let at = gitRepo.firstIndex(of: "@"), at != gitRepo.startIndex, gitRepo.index(after: at) != gitRepo.endIndex,
            !gitRepo[..<at].contains("/"), !gitRepo.contains(":")
        {
            return nil
        }
        // scp-like ssh: [user@]host:path
        if let colon = gitRepo.firstIndex(of: ":"), colon != gitRepo.startIndex, gitRepo.index(after: colon) != gitRepo.endIndex,
            !gitRepo[..<colon].contains("/")
        {
            return nil
        }
        return "expected an ssh, https, git or file:// URL, user@host:path, user@host, or an absolute local path"
    }

    static func problem(ref: String) -> String? {
        if ref.hasPrefix("-") || ref.contains(where: { $0.isWhitespace || $0 == "\0" }) || ref.contains("..") {
            return "not a valid branch, tag or commit name"
        }
        return nil
    }
}
