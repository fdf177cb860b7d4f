import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle
import Shared

/// Publishes the outbox's unpublished rows in id order, in batches, with publisher confirms, and marks them
/// published in the same transaction that locked them.
///
/// - Rows are claimed with `FOR UPDATE SKIP LOCKED`, so several gateways relay side by side without
///   publishing a row twice at the same time.
/// - A crash between the broker's confirm and the commit publishes the row again later: harmless, the
///   message id is deterministic (`job/<uuid>`) and consumers are idempotent.
/// - While the broker is down, publishing fails and the relay retries with exponential backoff; the rows
///   stay in PostgreSQL, so an accepted job is never lost.
/// - A control message (cancel) that no queue receives (no worker is running) is marked published with the
///   reason in `last_error`: there is nothing to cancel. Any other unroutable message is retried.
/// - A transaction whose connection PostgreSQL closes under it (a restart) fails instead of waiting forever
///   (`withWatchedTransaction`), and the relay retries with backoff.
struct OutboxRelay: Service {
    struct Settings: Sendable {
        /// Rows per transaction.
        var batchSize: Int = 200
        /// Longest sleep without a signal.
        var pollInterval: Duration = .seconds(1)
        var initialBackoff: Duration = .milliseconds(100)
        var maximumBackoff: Duration = .seconds(10)
        /// A publish that takes longer is abandoned (the rows stay unpublished and are retried).
        var publishTimeout: Duration = .seconds(15)

        init() {}
    }

    let postgres: PostgresClient
    let publisher: any MessagePublishing
    let signal: OutboxSignal
    let settings: Settings
    let logger: Logger
    /// Opened once the tables exist.
    let startup: StartupGate?
    /// Whether the broker connection is up. While it is not, the relay publishes nothing (rather than queueing
    /// messages in the client, which would send them again alongside the relay's own retry).
    let isPublisherReady: @Sendable () async -> Bool

    init(
        postgres: PostgresClient, publisher: any MessagePublishing, signal: OutboxSignal, settings: Settings = .init(),
        startup: StartupGate? = nil, isPublisherReady: @escaping @Sendable () async -> Bool = { true }, logger: Logger
    ) {
        self.postgres = postgres
        self.publisher = publisher
        self.signal = signal
        self.settings = settings
        self.startup = startup
        self.isPublisherReady = isPublisherReady
        self.logger = logger
    }

    func run() async throws {
        let signal = self.signal
        await withGracefulShutdownHandler {
            await startup?.wait()
            await loop()
        } onGracefulShutdown: {
            Task { await signal.notify() }
        }
    }

    private func loop() async {
        var backoff = settings.initialBackoff
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                guard await isPublisherReady() else {
                    throw MessagingError.broker("not connected to the broker")
                }
                let published = try await relayBatch()
                backoff = settings.initialBackoff
                if published < settings.batchSize {
                    await signal.wait(timeout: settings.pollInterval)
                }
            } catch {
                logger.warning("outbox relay could not publish; retrying", metadata: ["error": "\(error)", "retry.after": "\(backoff)"])
                try? await Task.sleep(for: backoff)
                backoff = min(backoff * 2, settings.maximumBackoff)
            }
        }
    }

    /// Publishes one batch; returns the number of rows marked published.
    @discardableResult
    func relayBatch() async throws -> Int {
        let logger = self.logger
        let settings = self.settings
        let publisher = self.publisher
        do {
            return try await postgres.withWatchedTransaction(logger: logger) { connection in
                let rows = try await connection.query(
                    """
                    SELECT id, exchange, routing_key, message_id, body FROM outbox
                    WHERE published_at IS NULL ORDER BY id LIMIT \(settings.batchSize) FOR UPDATE SKIP LOCKED
                    """,
                    logger: logger
                )
                var ids: [Int64] = []
                var messages: [OutgoingMessage] = []
                for try await (id, exchange, routingKey, messageID, body) in rows.decode((Int64, String, String, String, ByteBuffer).self) {
                    ids.append(id)
                    messages.append(
                        OutgoingMessage(exchange: exchange, routingKey: routingKey, body: Array(body.readableBytesView), messageID: messageID)
                    )
                }
                guard !messages.isEmpty else { return 0 }
                var dropped: [Int64: String] = [:]
                var pending = Array(zip(ids, messages))
                while !pending.isEmpty {
                    do {
                        let batch = pending.map(\.1)
                        // An abandoned publish may still complete later: the rows stay unpublished and are sent
                        // again, which consumers absorb by message id.
                        let timeout = settings.publishTimeout
                        try await AbandonableTask.run({ try await publisher.publish(batch) }, timeout: timeout) {
                            MessagingError.broker("publish not confirmed within \(timeout)")
                        }
                        pending = []
                    } catch MessagingError.unroutable(let exchange, let routingKey, let messageID)
                        where exchange == Topology.controlExchange
                    {
                        // Nobody listens for control messages: nothing runs that could be canceled.
                        guard let index = pending.firstIndex(where: { $0.1.messageID == messageID }) else {
                            throw MessagingError.unroutable(exchange: exchange, routingKey: routingKey, messageID: messageID)
                        }
                        dropped[pending[index].0] = "unroutable: no queue bound to \(exchange)"
                        pending.remove(at: index)
                    }
                }
                try await connection.query(
                    "UPDATE outbox SET published_at = now(), attempts = attempts + 1 WHERE id = ANY(\(ids))",
                    logger: logger
                )
                for (id, reason) in dropped {
                    try await connection.query("UPDATE outbox SET last_error = \(reason) WHERE id = \(id)", logger: logger)
                }
                logger.debug("outbox rows published", metadata: ["outbox.count": "\(ids.count)", "outbox.first_id": "\(ids[0])"])
                return ids.count
            }
        } catch let error as PostgresTransactionError {
            if let closure = error.closureError { throw closure }
            throw error
        }
    }
}
