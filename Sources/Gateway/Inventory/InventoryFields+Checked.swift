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
        return try Self.version(
            name: name, env: env, version: try required(version, "version"), hosts: try required(hosts, "hosts"), vars: vars, checker: checker)
    }

    /// The fields of a new version: `version` and `hosts` not blank, `vars` optional (blank: none), `name` and
    /// `env` nil (or blank) when unchanged; `hosts` and `vars` must be inventories Ansible reads.
    static func version(
        name: String?, env: String?, version: String, hosts: String, vars: String?, checker: InventoryChecker
    ) throws(APIError) -> InventoryFields {
        let version = try GatewayAPI.nonEmpty(version, field: "version")
        let hosts = try GatewayAPI.nonEmpty(hosts, field: "hosts")
        let vars = GatewayAPI.unlessBlank(vars, trimming: .whitespacesAndNewlines)
        let checked = try checker.check(hosts: hosts, vars: vars)
        return InventoryFields(
            name: GatewayAPI.unlessBlank(name), env: GatewayAPI.unlessBlank(env), version: version, hosts: hosts, vars: vars,
            hostCount: checked.hostCount
        )
    }
}
