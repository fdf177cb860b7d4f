import Foundation
import Shared

/// `/api/v1/tokens`: API tokens, managed with the admin token. A token is shown once, when created; only its
/// SHA-256 is stored.
extension GatewayAPI {
    func createToken(_ input: Operations.CreateToken.Input) async throws -> Operations.CreateToken.Output {
        try requireAdmin()
        let body =
            switch input.body {
            case .json(let body): body
            }
        let name = try Self.nonEmpty(body.name, field: "name")
        let token = TokenHasher.generate()
        let created = try await services.tokens.create(name: name, digest: TokenHasher.hash(token))
        logger.info("api token created", metadata: ["token.id": "\(created.id)"])
        return .created(.init(body: .json(TokenView(token: created, secret: token))))
    }

    func listTokens(_ input: Operations.ListTokens.Input) async throws -> Operations.ListTokens.Output {
        try requireAdmin()
        return .ok(.init(body: .json(ResourceList(try await services.tokens.list().map { TokenView(token: $0) }))))
    }

    func revokeToken(_ input: Operations.RevokeToken.Input) async throws -> Operations.RevokeToken.Output {
        try requireAdmin()
        let id = try Self.id(input.path.id, of: "token")
        guard try await services.tokens.revoke(id: id) else { throw APIError.notFound("token", id: "\(id)") }
        logger.info("api token revoked", metadata: ["token.id": "\(id)"])
        return .noContent(.init())
    }
}
