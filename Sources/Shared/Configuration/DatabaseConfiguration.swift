import Foundation

/// The `database` section: where PostgreSQL is.
public struct DatabaseConfiguration: Sendable {
    /// `database.url`: `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=disable|prefer|require]`.
    public var url: URL
    /// `database.pool_size`: connections per process. Default 8.
    public var poolSize: Int

    public init(source: ConfigurationSource) throws {
        self.url = try source.url("database.url", default: "postgres://postgres@127.0.0.1:5432/pansible", schemes: ["postgres", "postgresql"])
        self.poolSize = try source.int("database.pool_size", default: 8, range: 1...500)
    }
}
