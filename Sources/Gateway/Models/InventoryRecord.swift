import Foundation
import Shared

/// A stored inventory at its current version: `hosts` and `vars` as the YAML text they were sent as.
struct InventoryRecord: Sendable, Equatable {
    var id: Int64
    var name: String
    var env: String
    var version: String
    var hosts: String
    var vars: String?
    var hostCount: Int
    var createdAt: Date
    var updatedAt: Date

    /// As shown; lists leave the YAML texts out.
    func json(withText: Bool = true) -> JSONValue {
        var object: [String: JSONValue] = [
            "id": .int(id), "name": .string(name), "env": .string(env), "version": .string(version), "host_count": .from(hostCount),
            "created_at": .from(createdAt), "updated_at": .from(updatedAt),
        ]
        if withText {
            object["hosts"] = .string(hosts)
            object["vars"] = .from(vars)
        }
        return .object(object)
    }
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
