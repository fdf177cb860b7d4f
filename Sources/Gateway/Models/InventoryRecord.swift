import Foundation
import Shared

/// A stored inventory at its current version: `hosts` and `vars` as the YAML text they were sent as.
struct InventoryRecord: Sendable, Hashable {
    var id: Int64
    var name: String
    var env: String
    var version: String
    var hosts: String
    var vars: String?
    var hostCount: Int
    var createdAt: Date
    var updatedAt: Date
}

/// One stored version of an inventory, as listed.
struct InventoryVersion: Sendable, Equatable {
    var version: String
    var createdAt: Date
}

/// The checked fields of a new inventory, or of a new version of one (`name` and `env` may then be nil: unchanged).
struct InventoryFields: Sendable {
    var name: String?
    var env: String?
    var version: String
    var hosts: String
    var vars: String?
    var hostCount: Int
}
