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
/// - Each row is published and confirmed on its own: a row that fails (unroutable, nacked, not confirmed in
///   time) stays unpublished with the reason in `last_error`, and the rows confirmed beside it are marked
///   published, never sent again. A publish not confirmed within `publishTimeout` is cancelled: the client
///   drops what it has not sent and does not re-send it after a reconnection.
/// - A crash between the broker's confirm and the commit publishes the row again later: harmless, the
///   message id is deterministic (`job/<uuid>`), a job is split once (see the splitter) and a shard runs once
///   (the workers' claims).
/// - While the broker is down, publishing fails and the relay retries with exponential backoff; the rows
///   stay in PostgreSQL, so an accepted job is never lost.
/// - A control message (cancel) always reaches the `pansible.ledger` stream, which keeps it for workers that
///   start later; should none be bound, it is marked published with the reason in `last_error`. Any other
///   unroutable message is retried.
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

    /// Publishes `messages` in order with per-message outcomes. Past `timeout` the publish is cancelled, which
    /// makes the client drop what is not confirmed (it is neither sent nor re-sent after a reconnection); what
    /// was confirmed by then still counts.
    static func publish(_ messages: [OutgoingMessage], with publisher: any MessagePublishing, timeout: Duration) async -> [MessagingError?] {
        let work = Task { await publisher.publishEach(messages) }
        let late = MessagingError.broker("publish not confirmed within \(timeout)")
        if let outcomes = try? await AbandonableTask.run({ await work.value }, timeout: timeout, error: { late }) {
            return outcomes
        }
        work.cancel()
        // A publisher that honours cancellation answers at once with what was confirmed; one that does not is left behind.
        let answered = try? await AbandonableTask.run({ await work.value }, timeout: .seconds(5), error: { late })
        return (answered ?? messages.map { _ in .abandoned }).map { outcome in outcome == .abandoned ? late : outcome }
    }

    /// Publishes one batch (each message on its own: one that fails leaves the others published); returns the
    /// number of rows marked published, or throws the first failure once the published rows are marked.
    @discardableResult
    func relayBatch() async throws -> Int {
        let logger = self.logger
        let settings = self.settings
        let publisher = self.publisher
        do {
            let outcome: (published: Int, failure: MessagingError?) = try await postgres.withWatchedTransaction(logger: logger) {
                connection in
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
                guard !messages.isEmpty else { return (0, nil) }
                let outcomes = await Self.publish(messages, with: publisher, timeout: settings.publishTimeout)
                var published: [Int64] = []
                var dropped: [(id: Int64, reason: String)] = []
                var failed: [(id: Int64, reason: String)] = []
                var failure: MessagingError?
                for (id, outcome) in zip(ids, outcomes) {
                    switch outcome {
                    case nil:
                        published.append(id)
                    case .unroutable(let exchange, _, _) where exchange == Topology.controlExchange:
                        // Nobody listens for control messages: nothing runs that could be canceled.
                        dropped.append((id, "unroutable: no queue bound to \(exchange)"))
                    case let error?:
                        failed.append((id, error.description))
                        failure = failure ?? error
                    }
                }
                let settled = published + dropped.map(\.id)
                if !settled.isEmpty {
                    try await connection.query(
                        "UPDATE outbox SET published_at = now(), attempts = attempts + 1 WHERE id = ANY(\(settled))",
                        logger: logger
                    )
                }
                if !dropped.isEmpty {
                    try await connection.query(
                        """
                        UPDATE outbox AS o SET last_error = f.reason
                        FROM UNNEST(\(dropped.map(\.id)), \(dropped.map(\.reason))) AS f(id, reason) WHERE o.id = f.id
                        """,
                        logger: logger
                    )
                }
                if !failed.isEmpty {
                    try await connection.query(
                        """
                        UPDATE outbox AS o SET attempts = o.attempts + 1, last_error = f.reason
                        FROM UNNEST(\(failed.map(\.id)), \(failed.map(\.reason))) AS f(id, reason) WHERE o.id = f.id
                        """,
                        logger: logger
                    )
                }
                logger.debug(
                    "outbox rows published",
                    metadata: ["outbox.count": "\(settled.count)", "outbox.failed": "\(failed.count)", "outbox.first_id": "\(ids[0])"])
                return (settled.count, failure)
            }
            if let failure = outcome.failure { throw failure }
            return outcome.published
        } catch let error as PostgresTransactionError {
            if let closure = error.closureError { throw closure }
            throw error
        }
    }
}
