import Foundation
import Shared

/// Records looked up for a principal: one outside the token's environments is answered 404, as if it did not
/// exist, so that a scope never tells what lies outside it.
extension GatewayServices {
    /// The job's env, once the job exists within the principal's scope.
    func jobEnv(_ uuid: UUID, visibleTo principal: Principal) async throws -> String {
        guard let env = try await jobs.env(uuid: uuid), principal.covers(env: env) else {
            throw APIError.notFound("job", id: uuid.uuidString.lowercased())
        }
        return env
    }

    /// The inventory, once it exists within the principal's scope.
    func inventory(_ id: Int64, visibleTo principal: Principal) async throws -> InventoryRecord {
        guard let inventory = try await inventories.get(id: id), principal.covers(env: inventory.env) else {
            throw APIError.notFound("inventory", id: "\(id)")
        }
        return inventory
    }
}
