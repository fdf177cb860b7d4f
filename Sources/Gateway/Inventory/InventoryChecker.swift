import Foundation
import Shared
import Yams

/// Checks uploaded inventories before they are stored: YAML syntax (with line and column) and the shape
/// Ansible's YAML inventory expects (`hosts` a mapping of groups, `vars` a mapping of group → variables).
struct InventoryChecker: Sendable {
    struct Checked: Sendable {
        /// Hosts the inventory names (range patterns expanded); 0 when unknown.
        var hostCount: Int
    }

    init() {}

    func check(hosts: String, vars: String?) throws(APIError) -> Checked {
        let hostsNode = try parse(hosts, field: "hosts")
        guard let hostsNode else {
            throw APIError(.badRequest, code: "invalid_inventory", message: "hosts is empty: a YAML mapping of groups is expected", field: "hosts")
        }
        guard case .mapping = hostsNode else {
            throw APIError(
                .badRequest, code: "invalid_inventory", message: "hosts must be a YAML mapping of groups (e.g. 'all:')", field: "hosts",
                line: hostsNode.mark.map { $0.line }, column: hostsNode.mark.map { $0.column }
            )
        }
        if let vars, let varsNode = try parse(vars, field: "vars") {
            guard case .mapping(let groups) = varsNode else {
                throw APIError(
                    .badRequest, code: "invalid_inventory", message: "vars must be a YAML mapping of group names to variables", field: "vars",
                    line: varsNode.mark.map { $0.line }, column: varsNode.mark.map { $0.column }
                )
            }
            for (group, value) in groups {
                if case .mapping = value { continue }
                if case .scalar(let scalar) = value, scalar.string.isEmpty || scalar.string == "null" || scalar.string == "~" { continue }
                throw APIError(
                    .badRequest, code: "invalid_inventory",
                    message: "vars of group '\(group.string ?? "?")' must be a mapping of variable names to values", field: "vars",
                    line: value.mark.map { $0.line }, column: value.mark.map { $0.column }
                )
            }
        }
        return Checked(hostCount: 0)
    }

    /// The YAML document, nil when empty; a syntax error becomes 400 with its line and column.
    private func parse(_ text: String, field: String) throws(APIError) -> Node? {
        do {
            return try Yams.compose(yaml: text)
        } catch let error as YamlError {
            switch error {
            case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
                throw APIError(
                    .badRequest, code: "yaml_syntax", message: "\(field): YAML syntax error at line \(mark.line), column \(mark.column): \(problem)",
                    field: field, line: mark.line, column: mark.column
                )
            default:
                throw APIError(.badRequest, code: "yaml_syntax", message: "\(field): \(error)", field: field)
            }
        } catch {
            throw APIError(.badRequest, code: "yaml_syntax", message: "\(field): \(error)", field: field)
        }
    }
}

extension InventoryChecker {
    /// The inventory as `ansible-inventory --list` prints it.
    func ansibleList(hosts: String, vars: String?) throws(APIError) -> JSONValue {
        throw APIError(
            .notImplemented, code: "not_implemented", message: "the Ansible listing needs the inventory engine, which this build does not include"
        )
    }
}
