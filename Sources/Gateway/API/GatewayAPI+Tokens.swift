import Foundation
import Shared

/// `/api/v1/tokens`: API tokens, managed by admins. A token is shown once, when created; only its SHA-256 is
/// stored. A token gets a role (default operator) and a scope of environments (default every one); a token
/// scoped to some environments creates tokens within them only.
extension GatewayAPI {
    func createToken(_ input: Operations.CreateToken.Input) async throws -> Operations.CreateToken.Output {
        let principal = try require(.admin)
        let body =
            switch input.body {
            case .json(let body): body
            }
        let name = try Self.nonEmpty(body.name, field: "name")
        let role = body.role.flatMap { Role(rawValue: $0.rawValue) } ?? .operator
        let envs = try Self.envs(body.envs, field: "envs")
        guard principal.covers(envs: envs.map(Set.init)) else {
            throw APIError.forbidden("the token '\(principal.name)' may only create tokens within its own envs", field: "envs")
        }
        let token = TokenHasher.generate()
        let created = try await services.tokens.create(name: name, digest: TokenHasher.hash(token), role: role, envs: envs)
        audit(resourceID: "\(created.id)")
        logger.info("api token created", metadata: ["token.id": "\(created.id)", "token.role": "\(role.rawValue)"])
        return .created(.init(body: .json(TokenView(token: created, secret: token))))
    }

    func listTokens(_ input: Operations.ListTokens.Input) async throws -> Operations.ListTokens.Output {
        try require(.admin)
        return .ok(.init(body: .json(ResourceList(try await services.tokens.list().map { TokenView(token: $0) }))))
    }

    func revokeToken(_ input: Operations.RevokeToken.Input) async throws -> Operations.RevokeToken.Output {
        try require(.admin)
        let id = try Self.id(input.path.id, of: "token")
        guard try await services.tokens.revoke(id: id) else { throw APIError.notFound("token", id: "\(id)") }
        logger.info("api token revoked", metadata: ["token.id": "\(id)"])
        return .noContent(.init())
    }
}
