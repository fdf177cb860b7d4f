import Foundation
import Logging
import ServiceLifecycle

/// A process's reader and writer of the `pansible.ledger` stream: it reads the stream from its start (within
/// retention) and keeps reading live, remembering cancelled jobs, the winning claim of every (shard, attempt),
/// finished shards and every job's first split. Every process reads the same records in the same order, so
/// they all agree on who won a claim and which split counts, without a database.
///
/// A writer appends a record and waits until it reads it back (`append`): from then on it has also seen every
/// record published before it, wherever it came from. Waits are bounded by `readTimeout`.
///
/// Run it as a `Service` placed before the services that use it, so that it stops after them. A consumer
/// restarted after a reconnection reads the stream from its start again; applying a record twice changes
/// nothing.
public actor Ledger: Service {
    /// What became of a claim.
    public enum Claim: Sendable, Equatable {
        /// This claim is the first of its (shard, attempt): run the shard.
        case won
        /// Another claim of the same delivery attempt came first: that run owns the shard.
        case lost(winner: UUID?, worker: String)
        /// A run of the shard finished already.
        case done
    }

    public typealias Open = @Sendable () async throws -> AsyncThrowingStream<Delivery, any Error>

    private let publisher: any MessagePublishing
    private let open: Open
    private let writer: String
    private let readTimeout: Duration
    private let onCancel: @Sendable (UUID) async -> Void
    private let logger: Logger

    private var canceled: Set<UUID> = []
    private var claims: [ClaimKey: LedgerRecord] = [:]
    private var done: Set<String> = []
    private var splits: [UUID: SplitRecord] = [:]
    private var waiters: [String: LedgerSignal] = [:]
    private var recordsRead = 0

    private struct ClaimKey: Hashable {
        var shard: String
        var attempt: Int
    }

    /// - Parameters:
    ///   - open: starts a consumer of the stream from its first record.
    ///   - writer: names this process in the records it writes.
    ///   - readTimeout: how long `append` waits to read its record back.
    ///   - onCancel: called with each cancelled job as its cancel is read, before any later record is applied.
    public init(
        publisher: any MessagePublishing, open: @escaping Open, writer: String, readTimeout: Duration = .seconds(60),
        onCancel: @escaping @Sendable (UUID) async -> Void = { _ in }, logger: Logger
    ) {
        self.publisher = publisher
        self.open = open
        self.writer = writer
        self.readTimeout = readTimeout
        self.onCancel = onCancel
        self.logger = logger
    }

    /// The ledger over an `AMQPClient` whose topology includes the stream (`AMQPTopology.pansible`).
    public init(
        client: AMQPClient, writer: String, readTimeout: Duration = .seconds(60), onCancel: @escaping @Sendable (UUID) async -> Void = { _ in },
        logger: Logger
    ) {
        self.init(
            publisher: client,
            open: {
                try await client.consume(queue: Topology.ledgerQueue, prefetch: 500, arguments: [AMQPArgument("x-stream-offset", .string("first"))])
            },
            writer: writer, readTimeout: readTimeout, onCancel: onCancel, logger: logger)
    }

    public func run() async throws {
        let deliveries = try await open()
        logger.debug("reading the ledger", metadata: ["ledger.writer": "\(writer)"])
        for try await delivery in deliveries.cancelOnGracefulShutdown() {
            await apply(delivery)
            try? await delivery.ack()
        }
    }

    // MARK: - Writing

    /// Publishes `record` and returns once this reader has read it back (so every earlier record too).
    public func append(_ record: LedgerRecord) async throws {
        let signal = LedgerSignal()
        waiters[record.id] = signal
        defer { waiters[record.id] = nil }
        try await publisher.publish(
            OutgoingMessage(
                exchange: Topology.ledgerExchange, routingKey: "", body: try MessageCoding.encode(record), messageID: record.messageID))
        let timeout = readTimeout
        let kind = record.kind.rawValue
        try await AbandonableTask.run({ try await signal.wait() }, timeout: timeout) {
            LedgerError(message: "the ledger did not return its \(kind) record within \(timeout)")
        }
    }

    /// Publishes a record without waiting to read it back (it is durable once this returns).
    public func publish(_ record: LedgerRecord) async throws {
        try await publisher.publish(
            OutgoingMessage(
                exchange: Topology.ledgerExchange, routingKey: "", body: try MessageCoding.encode(record), messageID: record.messageID))
    }

    /// Returns once every record published before this call has been read.
    public func sync() async throws {
        try await append(LedgerRecord(kind: .sync, writer: writer))
    }

    /// Syncs, retrying each time-out up to `attempts` times (catching up with a long ledger may take more
    /// than one read time-out).
    public func catchUp(attempts: Int = 10) async throws {
        var attempt = 1
        while true {
            do {
                try await sync()
                logger.info("caught up with the ledger", metadata: ["ledger.records": "\(recordsRead)"])
                return
            } catch let error as LedgerError where attempt < attempts {
                logger.warning(
                    "still catching up with the ledger",
                    metadata: ["ledger.records": "\(recordsRead)", "ledger.attempt": "\(attempt)", "error": "\(error)"])
                attempt += 1
            }
        }
    }

    /// Claims delivery `attempt` of a shard for the run `runID`; see `Claim`.
    public func claim(shard: String, attempt: Int, runID: UUID) async throws -> Claim {
        if done.contains(shard) { return .done }
        let record = LedgerRecord(kind: .claim, writer: writer, shard: shard, attempt: attempt, runID: runID)
        try await append(record)
        if done.contains(shard) { return .done }
        guard let winner = claims[ClaimKey(shard: shard, attempt: attempt)] else {
            throw LedgerError(message: "the claim of \(shard) was read back but not recorded")
        }
        return winner.id == record.id ? .won : .lost(winner: winner.runID, worker: winner.writer)
    }

    /// Records that every event of a run of the shard is confirmed.
    public func markDone(shard: String) async throws {
        try await publish(LedgerRecord(kind: .done, writer: writer, shard: shard))
    }

    /// Records `plan` as the job's split unless one was recorded first; returns the split that counts.
    public func recordSplit(job: UUID, plan: SplitRecord) async throws -> SplitRecord {
        if let first = splits[job] { return first }
        try await append(LedgerRecord(kind: .split, writer: writer, jobUUID: job, plan: plan))
        guard let first = splits[job] else { throw LedgerError(message: "the split of job \(job) was read back but not recorded") }
        return first
    }

    // MARK: - Reading

    /// The job's recorded split, as far as read.
    public func split(job: UUID) -> SplitRecord? { splits[job] }

    /// The first claims of the shard's earlier delivery attempts (those below `attempt`), as far as read.
    public func earlierClaims(shard: String, before attempt: Int) -> [LedgerRecord] {
        (1..<max(1, attempt)).compactMap { claims[ClaimKey(shard: shard, attempt: $0)] }
    }

    /// Whether a cancel of the job was read.
    public func isCanceled(_ job: UUID) -> Bool { canceled.contains(job) }

    /// Whether a run of the shard finished, as far as read.
    public func isDone(shard: String) -> Bool { done.contains(shard) }

    private func apply(_ delivery: Delivery) async {
        recordsRead += 1
        switch delivery.exchange {
        case Topology.controlExchange:
            guard let message = try? MessageCoding.decode(ControlMessage.self, from: delivery.body) else {
                return logger.warning(
                    "unreadable control message in the ledger skipped", metadata: ["amqp.message_id": "\(delivery.messageID ?? "")"])
            }
            switch message.action {
            case .cancel:
                if canceled.insert(message.jobUUID).inserted { await onCancel(message.jobUUID) }
            }
        case Topology.ledgerExchange:
            guard let record = try? MessageCoding.decode(LedgerRecord.self, from: delivery.body) else {
                return logger.warning("unreadable ledger record skipped", metadata: ["amqp.message_id": "\(delivery.messageID ?? "")"])
            }
            apply(record)
            waiters[record.id]?.fire()
        default:
            logger.debug("ledger message from an unknown exchange skipped", metadata: ["amqp.exchange": "\(delivery.exchange)"])
        }
    }

    private func apply(_ record: LedgerRecord) {
        switch record.kind {
        case .sync:
            break
        case .claim:
            guard let shard = record.shard, let attempt = record.attempt else { return }
            let key = ClaimKey(shard: shard, attempt: attempt)
            if claims[key] == nil { claims[key] = record }
        case .done:
            if let shard = record.shard { done.insert(shard) }
        case .split:
            guard let job = record.jobUUID, let plan = record.plan, splits[job] == nil else { return }
            splits[job] = plan
        }
    }
}

/// The ledger could not answer in time.
public struct LedgerError: Error, CustomStringConvertible, Sendable {
    public var message: String

    public init(message: String) {
        self.message = message
    }

    public var description: String { message }
}
