import Foundation
import Shared

/// Checks uploaded inventories with the inventory engine before they are stored, exactly as Ansible would
/// read them: YAML syntax errors (400 `yaml_syntax`) and inventory errors (400 `invalid_inventory`) carry the
/// document (`hosts` or `vars`) as `field`, and the line and column when the engine knows them.
struct InventoryChecker: Sendable {
    struct Checked: Sendable {
        /// Hosts the inventory names, ranges expanded.
        var hostCount: Int
    }

    init() {}

    func check(hosts: String, vars: String?) throws(APIError) -> Checked {
        Checked(hostCount: try parse(hosts: hosts, vars: vars).hosts.count)
    }

    /// The inventory as `ansible-inventory --list` prints it.
    func ansibleList(hosts: String, vars: String?) throws(APIError) -> [UInt8] {
        let inventory = try parse(hosts: hosts, vars: vars)
        do {
            return try inventory.listJSON()
        } catch {
            throw Self.apiError(error)
        }
    }

    private func parse(hosts: String, vars: String?) throws(APIError) -> Inventory {
        do {
            return try Inventory(hosts: hosts, vars: vars)
        } catch {
            throw Self.apiError(error)
        }
    }

    static func apiError(_ error: InventoryError) -> APIError {
        let field = error.document ?? "hosts"
        if error.code == .syntax {
            var message = "\(field): YAML syntax error"
            if let line = error.line, let column = error.column { message += " at line \(line), column \(column)" }
            return APIError(
                .badRequest, code: "yaml_syntax", message: "\(message): \(error.message)", field: field, line: error.line, column: error.column)
        }
        return APIError(
            .badRequest, code: "invalid_inventory", message: "\(field): \(error.message)", field: field, line: error.line, column: error.column)
    }
}
