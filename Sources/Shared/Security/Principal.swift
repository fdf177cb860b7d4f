/// Who a bearer token belongs to, and what it may touch: a role and the environments of its scope.
public struct Principal: Sendable, Hashable {
    /// The API token's id; nil for the configured `admin_token`.
    public var tokenID: Int64?
    /// The token's name (`admin_token` for the configured one).
    public var name: String
    public var role: Role
    /// The environments the token may touch; nil for every one.
    public var envs: Set<String>?

    public init(tokenID: Int64?, name: String, role: Role, envs: Set<String>?) {
        self.tokenID = tokenID
        self.name = name
        self.role = role
        self.envs = envs
    }

    /// The configured `admin_token`: every right in every environment (the break-glass key).
    public static let adminToken = Principal(tokenID: nil, name: "admin_token", role: .admin, envs: nil)

    /// Whether the token's role includes `role`.
    public func has(_ role: Role) -> Bool {
        self.role >= role
    }

    /// Whether `env` is in the token's scope.
    public func covers(env: String) -> Bool {
        envs?.contains(env) ?? true
    }

    /// Whether every one of `envs` (nil: every environment) is in the token's scope.
    public func covers(envs other: Set<String>?) -> Bool {
        guard let envs else { return true }
        guard let other else { return false }
        return other.isSubset(of: envs)
    }
}
