import Shared

/// The gateway's refusals for a principal: 403 `forbidden` for a role too low or an environment outside the
/// token's scope named by the request.
extension Principal {
    /// 403 unless the token's role includes `role`.
    func require(_ role: Role) throws(APIError) {
        guard has(role) else {
            throw .forbidden("this call needs the \(role.rawValue) role; the token '\(name)' is a \(self.role.rawValue)")
        }
    }

    /// 403 naming `field` unless `env` is in the token's scope.
    func requireScope(env: String, field: String) throws(APIError) {
        guard covers(env: env) else {
            throw .forbidden("the token '\(name)' may not touch env '\(env)'", field: field)
        }
    }
}
