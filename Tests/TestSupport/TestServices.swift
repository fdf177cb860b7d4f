import Foundation
import Logging
import PostgresNIO
import Shared

/// Where the tests' RabbitMQ and PostgreSQL are (`make test` starts them and exports the URLs).
public enum TestServices {
    public static let environment = ProcessInfo.processInfo.environment

    /// `PANSIBLE_TEST_SERVICES=1` (set by `make test`): integration suites must run, and fail without services.
    public static let required = environment["PANSIBLE_TEST_SERVICES"] == "1"

    /// `PANSIBLE_TEST_SERVICES=0` (set by `make test-unit`): integration suites skip, without looking for servers.
    public static let excluded = environment["PANSIBLE_TEST_SERVICES"] == "0"

    public static let amqpURL = environment["PANSIBLE_AMQP_URL"] ?? "amqp://guest:guest@127.0.0.1:5672/"
    public static let databaseURL = environment["PANSIBLE_DATABASE_URL"] ?? "postgres://postgres@127.0.0.1:5432/pansible"

    /// True when integration suites should run: required by `make test`, or (outside `make test-unit`) the
    /// services answer.
    public static var available: Bool {
        if required { return true }
        if excluded { return false }
        let reachable = isListening(url: amqpURL) && isListening(url: databaseURL)
        if !reachable {
            FileHandle.standardError.write(Data("skipping integration suite: RabbitMQ/PostgreSQL not reachable (run `make test`)\n".utf8))
        }
        return reachable
    }

    /// The repository's root directory.
    public static let repositoryRoot: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    public static func isListening(url: String) -> Bool {
        guard let components = URLComponents(string: url), let host = components.host else { return false }
        let port = components.port ?? (components.scheme?.hasPrefix("amqp") == true ? 5672 : 5432)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        guard inet_pton(AF_INET, host == "localhost" ? "127.0.0.1" : host, &address.sin_addr) == 1 else { return false }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        return result == 0
    }

    /// The configuration a test process would read: defaults, plus the test services' URLs.
    public static func configurationSource(_ values: [String: String] = [:]) -> ConfigurationSource {
        var all = ["amqp.url": amqpURL, "database.url": databaseURL]
        all.merge(values) { _, new in new }
        return ConfigurationSource(values: all)
    }

    /// Creates an empty database for one test and returns its URL; the caller drops it with `dropDatabase`.
    public static func createDatabase(logger: Logger = Logger(label: "test")) async throws -> (name: String, url: URL) {
        let name = "test_\(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: ""))"
        // CREATE DATABASE copies template1 and refuses while another session uses it (55006): tests create their
        // databases concurrently, so that is retried.
        for attempt in 1...10 {
            do {
                try await withAdminClient(logger: logger) { client in
                    try await client.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: logger)
                }
                break
            } catch let error as PSQLError where error.serverInfo?[.sqlState] == "55006" && attempt < 10 {
                try await Task.sleep(for: .milliseconds(200 * attempt))
            }
        }
        var components = URLComponents(string: databaseURL)!
        components.path = "/\(name)"
        return (name, components.url!)
    }

    public static func dropDatabase(_ name: String, logger: Logger = Logger(label: "test")) async throws {
        try await withAdminClient(logger: logger) { client in
            try await client.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"), logger: logger)
        }
    }

    /// Runs `body` with a running client for `url` (default: the test database).
    public static func withPostgresClient<T: Sendable>(
        url: URL? = nil, logger: Logger = Logger(label: "test"), _ body: @Sendable (PostgresClient) async throws -> T
    ) async throws -> T {
        let source = configurationSource(url.map { ["database.url": $0.absoluteString] } ?? [:])
        let client = try PostgresClient(configuration: DatabaseConfiguration(source: source), logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            // The first query waits until the client's run has begun: a connection asked for before it (which a
            // loaded machine's scheduling allows) is what PostgresClient warns about and may never get.
            let (started, starting) = AsyncStream<Void>.makeStream()
            group.addTask {
                starting.finish()
                await client.run()
            }
            defer { group.cancelAll() }
            for await _ in started {}
            await Task.yield()
            return try await body(client)
        }
    }

    /// Creates a private RabbitMQ virtual host (so a test's queues and consumers see only its own messages)
    /// and returns the AMQP URL for it.
    ///
    /// `rabbitmqctl` takes seconds: it runs on a thread of its own, so that tests creating virtual hosts side
    /// by side never hold the cooperative pool's few threads (the other tests in the process would stall).
    public static func createVirtualHost() async throws -> String {
        let name = "test-\(UUID().uuidString.lowercased().prefix(8))"
        try await runServicesScript(["add-vhost", name])
        var components = URLComponents(string: amqpURL)!
        components.percentEncodedPath = "/" + name
        return components.string!
    }

    /// Deletes the virtual host of `url` in the background (nothing waits for it).
    public static func deleteVirtualHost(url: String) {
        guard let components = URLComponents(string: url), components.path.count > 1 else { return }
        let name = String(components.path.dropFirst())
        Task.detached { try? await runServicesScript(["delete-vhost", name]) }
    }

    /// Runs `scripts/services.sh` for the test services' ports (stop/start the broker or database, vhosts) and
    /// waits for it. Its output goes to a file, not a pipe: a PostgreSQL server that `start-postgres` leaves running
    /// would hold a pipe open. Returns that output.
    @discardableResult
    public static func runServicesScript(_ arguments: [String]) async throws -> String {
        let script = repositoryRoot.appendingPathComponent("scripts/services.sh").path
        var environment = ProcessInfo.processInfo.environment
        environment["AMQP_PORT"] = String(URLComponents(string: amqpURL)?.port ?? 5672)
        environment["PG_PORT"] = String(URLComponents(string: databaseURL)?.port ?? 5432)
        let output = try await CommandRunner.run(script, arguments, environment: environment, directory: repositoryRoot.path)
        guard output.status == .exited(0) else {
            throw TestServicesError.scriptFailed(arguments.joined(separator: " "), output.status.code)
        }
        return output.text
    }

    private static func withAdminClient(logger: Logger, _ body: @Sendable (PostgresClient) async throws -> Void) async throws {
        var components = URLComponents(string: databaseURL)!
        components.path = "/postgres"
        try await withPostgresClient(url: components.url!, logger: logger, body)
    }
}

public enum TestServicesError: Error, CustomStringConvertible {
    case scriptFailed(String, Int32)

    public var description: String {
        switch self {
        case .scriptFailed(let command, let status): return "scripts/services.sh \(command) exited with \(status)"
        }
    }
}
