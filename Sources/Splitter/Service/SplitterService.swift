import Foundation
import Logging
import Metrics
import ServiceLifecycle
import Shared

/// Consumes jobs and turns each into shards for its worker pool.
///
/// Order of work per job: pin the playbook's commit, split, publish every shard and the `job_split` event
/// with confirms, **then** ack the job. A job that cannot be split (bad inventory, no host after `limit`,
/// unreachable repository) gets a `job_failed` event with the reason and is acked, never redelivered
/// forever.
///
/// A job is split once: before publishing its shards the splitter records the split (commit, hosts and forks
/// per shard) in the ledger, and a job delivered again (a duplicate publish, a splitter that died before its
/// ack) publishes exactly the recorded split (same commit, same shards, same message ids) even when its ref
/// has moved since; the workers' claims absorb the duplicate shards. Of two splitters splitting the same job
/// at once, the split recorded first counts for both.
struct SplitterService: Service {
    let consumer: any MessageConsuming
    let publisher: any MessagePublishing
    let queues: any ShardQueueDeclaring
    let resolver: any RevisionResolving
    let splitter: JobSplitter
    /// The pools' live workers, from their heartbeats; nil: shards of fixed size.
    let capacity: PoolCapacity?
    /// Jobs split at once.
    let prefetch: Int
    /// Where splits are recorded and found again; nil splits every delivery afresh.
    let ledger: Ledger?
    let logger: Logger

    let metrics: SplitterMetrics

    init(
        consumer: any MessageConsuming, publisher: any MessagePublishing, queues: any ShardQueueDeclaring, resolver: any RevisionResolving,
        splitter: JobSplitter, capacity: PoolCapacity? = nil, prefetch: Int = 2, ledger: Ledger? = nil,
        metrics: SplitterMetrics = SplitterMetrics(factory: NOOPMetricsHandler.instance), logger: Logger
    ) {
        self.metrics = metrics
        self.ledger = ledger
        self.consumer = consumer
        self.publisher = publisher
        self.queues = queues
        self.resolver = resolver
        self.splitter = splitter
        self.capacity = capacity
        self.prefetch = prefetch
        self.logger = logger
    }

    func run() async throws {
        // Every split recorded before this splitter started is known before its first job.
        try await ledger?.catchUp()
        let deliveries = try await consumer.consume(queue: Topology.jobsQueue, prefetch: prefetch)
        try await withThrowingDiscardingTaskGroup { group in
            // Up to `prefetch` jobs are in hand at once; each is settled by its own task.
            for try await delivery in deliveries.cancelOnGracefulShutdown() {
                group.addTask { await handle(delivery) }
            }
        }
    }

    /// Splits one job message and settles it.
    func handle(_ delivery: Delivery) async {
        var logger = self.logger
        logger[metadataKey: "amqp.delivery_tag"] = "\(delivery.deliveryTag)"
        let job: JobMessage
        do {
            job = try MessageCoding.decode(JobMessage.self, from: delivery.body)
        } catch {
            await rejectUndecodable(delivery, error: error, logger: logger)
            return
        }
        logger[metadataKey: "job.uuid"] = "\(job.jobUUID.uuidString.lowercased())"
        do {
            let outcome = try await split(job, logger: logger)
            try await delivery.ack()
            switch outcome {
            case .split(let shards, let capacity):
                metrics.jobsSplit.increment()
                metrics.shardsPublished.increment(by: shards)
                var metadata: Logger.Metadata = ["job.shards": "\(shards)"]
                if let capacity {
                    metadata["pool.workers"] = "\(capacity.workers)"
                    metadata["pool.slots"] = "\(capacity.slots)"
                }
                logger.info("job split", metadata: metadata)
            case .failed(let reason):
                metrics.jobsFailed.increment()
                logger.warning("job failed to split", metadata: ["job.reason": "\(reason)"])
            }
        } catch {
            // Nothing was acked: the broker redelivers the job (bounded by the queue's delivery limit).
            logger.error("job not split, handing it back", metadata: ["error": "\(error)"])
            try? await delivery.nack(requeue: true)
        }
    }

    enum Outcome {
        case split(shards: Int, capacity: PoolCapacity.Snapshot?)
        case failed(String)
    }

    /// Publishes the job's shards and `job_split` event, or its `job_failed` event; returns what happened.
    func split(_ job: JobMessage, logger: Logger) async throws -> Outcome {
        guard job.schema <= JobMessage.currentSchema else {
            let failure = JobSplitFailure(
                .invalidOptions, "job message schema \(job.schema) is newer than this splitter's \(JobMessage.currentSchema)")
            try await publishFailure(failure, job: job)
            return .failed(failure.message)
        }
        if let ledger {
            try await ledger.sync()
            if let recorded = await ledger.split(job: job.jobUUID) {
                logger.notice("job split before; publishing its recorded split", metadata: ["job.commit": "\(recorded.commit)"])
                return try await publish(job, commit: recorded.commit, recorded: recorded, logger: logger)
            }
        }
        let commit: String
        if let pinned = job.playbook.commit {
            commit = pinned
        } else {
            do {
                commit = try await resolver.resolve(repository: job.playbook.gitRepo, ref: job.playbook.ref)
            } catch {
                let failure = JobSplitFailure(.unreachableRepository, "playbook \(job.playbook.name): \(error.message)")
                try await publishFailure(failure, job: job)
                return .failed(failure.message)
            }
        }
        return try await publish(job, commit: commit, recorded: nil, logger: logger)
    }

    /// Splits the job (as `recorded` says, when given) and publishes the outcome.
    private func publish(_ job: JobMessage, commit: String, recorded: SplitRecord?, logger: Logger) async throws -> Outcome {
        let pool = job.options.pool ?? Topology.defaultPool
        let snapshot = recorded == nil ? await capacity?.snapshot(pool: pool) : nil
        let now = Date()
        switch splitter.split(job, commit: commit, capacity: snapshot, now: now, recorded: recorded) {
        case .failure(let failure):
            try await publishFailure(failure, job: job)
            return .failed(failure.message)
        case .success(let split) where recorded == nil && ledger != nil:
            let record = JobSplitter.record(of: split, commit: commit, at: now)
            guard let first = try await ledger?.recordSplit(job: job.jobUUID, plan: record) else {
                return try await publish(split, job: job, pool: pool, snapshot: snapshot)
            }
            // Read back through JSON, the split time keeps only milliseconds: the same commit and shards at that
            // time is this split. It is published as recorded (so a later delivery publishes the same bytes),
            // with the pool's capacity as seen now.
            if first.commit == record.commit && first.shards == record.shards && abs(first.splitAt.timeIntervalSince(record.splitAt)) < 0.001,
                case .success(let recorded) = splitter.split(job, commit: first.commit, capacity: snapshot, now: first.splitAt, recorded: first)
            {
                return try await publish(recorded, job: job, pool: pool, snapshot: snapshot)
            }
            logger.notice("job split at the same time elsewhere; publishing the split recorded first")
            return try await publish(job, commit: first.commit, recorded: first, logger: logger)
        case .success(let split):
            return try await publish(split, job: job, pool: pool, snapshot: snapshot)
        }
    }

    private func publish(_ split: JobSplitter.Split, job: JobMessage, pool: String, snapshot: PoolCapacity.Snapshot?) async throws -> Outcome {
        // The pool's queue may not exist yet (no worker of it started): declare it, so shards wait for one.
        try await queues.declareShardQueue(pool: pool)
        let encoder = MessageCoding.encoder()
        var messages: [OutgoingMessage] = []
        messages.reserveCapacity(split.shards.count + 1)
        for shard in split.shards {
            messages.append(
                OutgoingMessage(
                    exchange: Topology.shardsExchange, routingKey: pool, body: Array(try encoder.encode(shard)), messageID: shard.messageID))
        }
        try await publisher.publish(messages)
        try await publisher.publish(eventMessage(job: job, event: split.event, encoder: encoder))
        return .split(shards: split.shards.count, capacity: snapshot)
    }

    private func publishFailure(_ failure: JobSplitFailure, job: JobMessage) async throws {
        try await publisher.publish(eventMessage(job: job, event: JobSplitter.failedEvent(failure), encoder: MessageCoding.encoder()))
    }

    private func eventMessage(job: JobMessage, event: PansibleEvent, encoder: JSONEncoder) throws -> OutgoingMessage {
        let batch = EventBatch(jobUUID: job.jobUUID, source: "splitter", events: [event])
        return OutgoingMessage(
            exchange: Topology.eventsExchange, routingKey: batch.routingKey, body: Array(try encoder.encode(batch)), messageID: batch.messageID)
    }

    /// A job message that cannot be read: when its uuid can be, the job gets a `job_failed` event and the
    /// message is acked; otherwise the message is dead-lettered for inspection.
    private func rejectUndecodable(_ delivery: Delivery, error: any Error, logger: Logger) async {
        struct JobIdentity: Decodable {
            var jobUUID: UUID
            enum CodingKeys: String, CodingKey { case jobUUID = "job_uuid" }
        }
        metrics.jobsFailed.increment()
        if let identity = try? MessageCoding.decode(JobIdentity.self, from: delivery.body) {
            let failure = JobSplitFailure(.invalidOptions, "the job message cannot be read: \(error)")
            let batch = EventBatch(jobUUID: identity.jobUUID, source: "splitter", events: [JobSplitter.failedEvent(failure)])
            do {
                try await publisher.publish(
                    OutgoingMessage(
                        exchange: Topology.eventsExchange, routingKey: batch.routingKey, body: MessageCoding.encode(batch),
                        messageID: batch.messageID))
                try await delivery.ack()
                logger.warning("undecodable job failed", metadata: ["job.uuid": "\(identity.jobUUID)", "error": "\(error)"])
                return
            } catch {
                logger.error("could not report an undecodable job", metadata: ["error": "\(error)"])
            }
        }
        logger.error("undecodable job message dead-lettered", metadata: ["error": "\(error)", "amqp.message_id": "\(delivery.messageID ?? "")"])
        try? await delivery.reject()
    }
}

/// Declares a pool's shard queue (idempotent).
protocol ShardQueueDeclaring: Sendable {
    func declareShardQueue(pool: String) async throws
}

/// Declares pool queues on the broker, once per pool per process.
actor AMQPShardQueues: ShardQueueDeclaring {
    let client: AMQPClient
    let deliveryLimit: Int
    let ledgerMaxAge: String
    private var declared: Set<String> = [Topology.defaultPool]

    init(client: AMQPClient, deliveryLimit: Int, ledgerMaxAge: String = Topology.defaultLedgerMaxAge) {
        self.client = client
        self.deliveryLimit = deliveryLimit
        self.ledgerMaxAge = ledgerMaxAge
    }

    func declareShardQueue(pool: String) async throws {
        guard !declared.contains(pool) else { return }
        try await client.declare(.pansible(pools: [pool], deliveryLimit: deliveryLimit, ledgerMaxAge: ledgerMaxAge))
        declared.insert(pool)
    }
}
