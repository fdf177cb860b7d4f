import Shared

/// Why a job could not be split; becomes its `job_failed` event, after which the job message is acked.
package struct JobSplitFailure: Error, Equatable, CustomStringConvertible {
    enum Code: String {
        /// The inventory or vars document was rejected (see `line`, `column`, `document`).
        case invalidInventory = "invalid_inventory"
        /// The `limit` pattern could not be applied.
        case invalidLimit = "invalid_limit"
        /// No host is left after `limit` (or the inventory has none).
        case noHosts = "no_hosts"
        /// `shards` or `shard_size` out of range.
        case invalidOptions = "invalid_options"
        /// The playbook's repository or ref could not be resolved to a commit.
        case unreachableRepository = "unreachable_repository"
    }

    var code: Code
    var message: String
    var inventoryError: InventoryError?

    init(_ code: Code, _ message: String, inventoryError: InventoryError? = nil) {
        self.code = code
        self.message = message
        self.inventoryError = inventoryError
    }

    package var description: String { message }

    /// The `data` of the `job_failed` event.
    var eventData: JSONValue {
        var data: [String: JSONValue] = ["code": .string(code.rawValue), "reason": .string(message)]
        if let error = inventoryError {
            data["error_code"] = .string(error.code.rawValue)
            if let line = error.line { data["line"] = .int(Int64(line)) }
            if let column = error.column { data["column"] = .int(Int64(column)) }
            if let document = error.document { data["document"] = .string(document) }
            if let group = error.group { data["group"] = .string(group) }
            if let host = error.host { data["host"] = .string(host) }
        }
        return .object(data)
    }
}
