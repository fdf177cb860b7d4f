import Foundation

/// The shape every stored resource with a numeric id shares (inventories, playbooks, apps, credentials): list,
/// show, delete. `ResourceRoutes` serves it once for all of them.
protocol ResourceRepository<Resource>: Sendable {
    associatedtype Resource: Sendable

    /// Every one, in id order.
    func list() async throws -> [Resource]
    func get(id: Int64) async throws -> Resource?
    /// Deletes it: 404 `not_found` when it does not exist; for what jobs refer to, 409 `in_use` while a
    /// pending or running job uses it.
    func delete(id: Int64) async throws
}
