import Foundation
import Shared

/// An app: a name (`appid`) that links playbooks and inventories, deployed per env.
struct App: Sendable, Hashable {
    var id: Int64
    var appid: String
    var createdAt: Date
}

/// What an app links to.
enum AppLinkTarget: Sendable {
    case playbook, inventory

    /// The request field naming the target, and its name in messages.
    var field: String { self == .playbook ? "playbook_id" : "inventory_id" }
    var name: String { self == .playbook ? "playbook" : "inventory" }
}

/// The outcome of linking an app to a playbook or inventory.
enum AppLinkOutcome: Sendable, Equatable {
    case created, existed, appMissing, targetMissing
}
