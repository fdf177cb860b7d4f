import Foundation
import Logging
import PostgresNIO

extension PostgresClient {
    /// A client for `database.url`. Run it (it is a `Service`) in the process's `ServiceGroup`.
    public convenience init(configuration: DatabaseConfiguration, logger: Logger) throws {
        let url = configuration.url
        guard let host = url.host, !host.isEmpty else {
            throw ConfigurationError(key: "database.url", message: "the URL has no host")
        }
        let database = url.path.hasPrefix("/") ? String(url.path.dropFirst()) : url.path
        guard !database.isEmpty else {
            throw ConfigurationError(key: "database.url", message: "the URL names no database")
        }
        let components = URLComponents(url: url, resolvingAgainstBaseURL: false)
        let sslMode = components?.queryItems?.first(where: { $0.name == "sslmode" })?.value ?? "disable"
        let tls: PostgresClient.Configuration.TLS
        switch sslMode {
        case "disable": tls = .disable
        case "prefer": tls = .prefer(.makeClientConfiguration())
        case "require", "verify-full": tls = .require(.makeClientConfiguration())
        default:
            throw ConfigurationError(key: "database.url", message: "sslmode must be disable, prefer or require, got '\(sslMode)'")
        }
        var clientConfiguration = PostgresClient.Configuration(
            host: host,
            port: url.port ?? 5432,
            username: url.user?.removingPercentEncoding ?? "postgres",
            password: url.password?.removingPercentEncoding,
            database: database,
            tls: tls
        )
        clientConfiguration.options.maximumConnections = configuration.poolSize
        self.init(configuration: clientConfiguration, backgroundLogger: logger)
    }
}
