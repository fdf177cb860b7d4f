import Foundation

extension InventoryFields {
    /// The fields of a new inventory, checked: `name`, `env`, `version` and `hosts` are required and not blank,
    /// `vars` is optional (blank: none); `hosts` and `vars` must be inventories Ansible reads.
    static func new(
        name: String?, env: String?, version: String?, hosts: String?, vars: String?, checker: InventoryChecker
    ) throws(APIError) -> InventoryFields {
        func required(_ value: String?, _ field: String) throws(APIError) -> String {
            guard let value else { throw .missingField(field) }
            return try GatewayAPI.nonEmpty(value, field: field)
        }
        let name = try required(name, "name")
        let env = try required(env, "env")
        let version = try required(version, "version")
        let hosts = try required(hosts, "hosts")
        let vars = GatewayAPI.unlessBlank(vars, trimming: .whitespacesAndNewlines)
        let checked = try checker.check(hosts: hosts, vars: vars)
        return InventoryFields(name: name, env: env, version: version, hosts: hosts, vars: vars, hostCount: checked.hostCount)
    }
}
