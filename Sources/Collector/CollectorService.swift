import Foundation
import Hummingbird
import Logging
import PostgresNIO
import ServiceLifecycle
import Shared

/// Applies the migrations (waiting for PostgreSQL if needed), then runs the collector's parts side by side:
/// event ingestion, the dead-letter consumer, the live fan-out and the HTTP/WebSocket server.
struct CollectorService: Service {
    let client: PostgresClient
    let parts: [any Service]
    let logger: Logger

    func run() async throws {
        var backoff: Duration = .milliseconds(200)
        while true {
            do {
                try await Migrator(client: client, logger: logger).migrate()
                break
            } catch {
                if Task.isCancelled || Task.isShuttingDownGracefully { return }
                logger.warning("could not apply migrations; retrying", metadata: ["error": "\(error)"])
                try await Task.sleep(for: backoff)
                backoff = min(backoff * 2, .seconds(5))
            }
        }
        try await withThrowingDiscardingTaskGroup { group in
            for part in parts {
                group.addTask { try await part.run() }
            }
        }
    }
}
