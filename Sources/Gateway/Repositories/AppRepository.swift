import Foundation

/// Apps and what they link to.
protocol AppRepository: ResourceRepository where Resource == App {
    /// Stores a new app, or returns nil when one with that `appid` exists.
    func create(appid: String) async throws -> App?
    /// Links an app to a playbook or an inventory (once).
    func link(app: Int64, to target: AppLinkTarget, id: Int64) async throws -> AppLinkOutcome
    /// The app's playbooks, in id order.
    func playbooks(of app: Int64) async throws -> [Playbook]
    /// The app's inventories (of `env` only, when given), in id order.
    func inventories(of app: Int64, env: String?) async throws -> [InventoryRecord]
}
