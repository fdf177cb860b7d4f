import Foundation
import Shared

/// Who may do what: a role too low answers 403 `forbidden`; a record outside the token's environments is
/// answered 404, as if it did not exist, and lists leave it out; a request naming an environment outside the
/// scope answers 403 naming the field. The role is checked first, so a refusal never tells whether a record
/// exists.
extension GatewayAPI {
    /// The request's principal, once its role includes `role`.
    @discardableResult
    func require(_ role: Role) throws(APIError) -> Principal {
        let principal = try self.principal
        try principal.require(role)
        return principal
    }

    var principal: Principal {
        get throws(APIError) {
            guard let principal = try context.principal else { throw APIError.unauthorized }
            return principal
        }
    }

    /// Whether a record of `env` is visible to the token.
    func inScope(env: String) throws(APIError) -> Bool {
        try principal.covers(env: env)
    }

    /// The job's env, once the job exists within the token's scope (404 otherwise); notes it for the audit log.
    @discardableResult
    func requireJob(_ uuid: UUID) async throws -> String {
        let env = try await services.jobEnv(uuid, visibleTo: try principal)
        audit(resourceID: uuid.uuidString.lowercased(), env: env)
        return env
    }

    /// The inventory, once it exists within the token's scope (404 otherwise); notes it for the audit log.
    func requireInventory(_ id: Int) async throws -> InventoryRecord {
        let inventory = try await services.inventory(try Self.id(id, of: "inventory"), visibleTo: try principal)
        audit(resourceID: "\(inventory.id)", env: inventory.env)
        return inventory
    }

    /// Records what the call is about in its audit entry (see `AuditMiddleware`).
    func audit(resourceID: String? = nil, env: String? = nil) {
        GatewayRequestContext.current?.audit?.note(resourceID: resourceID, env: env)
    }
}
