import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle
import Shared

/// Ends the jobs that nothing else would end. Every `interval` it looks for unfinished jobs that
///
/// - are past their deadline (`jobs.deadline_at`, set by the gateway from the job's `deadline` or its
///   `job_deadline`): ended `error`;
/// - were cancelled more than `cancelGrace` ago while a shard ran, and were not finished by their shards'
///   reports since: ended `canceled`;
/// - were split for a pool that has had no live worker (no heartbeat, see ``PoolCapacity``) for
///   `noWorkerGrace`: ended `error` ("no worker serves pool …").
///
/// Each job is ended by one guarded `UPDATE` on rows taken `FOR UPDATE SKIP LOCKED`, so several collectors
/// sweep side by side without ending a job twice, and a final status is never touched. In the same
/// transaction a cancel control message goes into the outbox (the gateway relays it), so the job's shards
/// still queued are acknowledged without running when a worker takes them, and running ones are stopped.
struct JobSweeper: Service {
    struct Settings: Sendable {
        var interval: Duration
        var cancelGrace: Int
        var noWorkerGrace: Int

        init(interval: Duration = .seconds(5), cancelGrace: Int = 60, noWorkerGrace: Int = 600) {
            self.interval = interval
            self.cancelGrace = cancelGrace
            self.noWorkerGrace = noWorkerGrace
        }

        init(configuration: CollectorConfiguration) {
            self.init(
                interval: .seconds(configuration.sweepInterval), cancelGrace: configuration.cancelGrace,
                noWorkerGrace: configuration.noWorkerGrace)
        }
    }

    /// Why a job was ended.
    enum Ending: String, Sendable {
        case deadline
        case cancelGrace = "cancel_grace"
        case noWorker = "no_worker"
    }

    let client: PostgresClient
    /// The pools' live workers; nil turns the no-worker rule off.
    let capacity: PoolCapacity?
    let settings: Settings
    /// Called with the jobs just ended, so live subscribers get their final message.
    let onEnded: @Sendable (Set<UUID>) async -> Void
    let logger: Logger
    private let silentPools = SilentPools()

    init(
        client: PostgresClient, capacity: PoolCapacity?, settings: Settings, logger: Logger,
        onEnded: @escaping @Sendable (Set<UUID>) async -> Void = { _ in }
    ) {
        self.client = client
        self.capacity = capacity
        self.settings = settings
        self.logger = logger
        self.onEnded = onEnded
    }

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                let ended = try await sweep()
                if !ended.isEmpty { await onEnded(Set(ended.map(\.job))) }
            } catch {
                logger.warning("job sweep failed; trying again at the next one", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: settings.interval)
        }
    }

    /// One look; returns the jobs it ended and why.
    @discardableResult
    func sweep(now: ContinuousClock.Instant = .now) async throws -> [(job: UUID, ending: Ending)] {
        var ended: [(job: UUID, ending: Ending)] = []
        for job in try await endOverdue() { ended.append((job, .deadline)) }
        for job in try await endUnansweredCancels() { ended.append((job, .cancelGrace)) }
        if let capacity {
            for pool in try await poolsWithWaitingShards() {
                let workers = await capacity.live(pool: pool, at: now).workers
                guard let silentFor = await silentPools.observe(pool: pool, workers: workers, at: now),
                    silentFor >= .seconds(settings.noWorkerGrace)
                else { continue }
                for job in try await endJobs(ofSilentPool: pool) { ended.append((job, .noWorker)) }
            }
        }
        for (job, ending) in ended {
            logger.warning("job ended by the sweeper", metadata: ["job.uuid": "\(job.uuidString.lowercased())", "job.ending": "\(ending.rawValue)"])
        }
        return ended
    }

    private func endOverdue() async throws -> [UUID] {
        try await end { connection in
            try await connection.query(
                """
                UPDATE jobs j SET status = 'error',
                    status_reason = format('deadline passed: the job did not end within %s s of its launch',
                                           round(extract(epoch FROM j.deadline_at - j.created_at))::bigint),
                    finished_at = now(), updated_at = now()
                FROM (SELECT uuid FROM jobs WHERE status IN ('pending', 'running') AND deadline_at < now()
                      ORDER BY deadline_at LIMIT 100 FOR UPDATE SKIP LOCKED) due
                WHERE j.uuid = due.uuid AND j.status IN ('pending', 'running')
                RETURNING j.uuid
                """,
                logger: logger)
        }
    }

    private func endUnansweredCancels() async throws -> [UUID] {
        let grace = settings.cancelGrace
        return try await end { connection in
            try await connection.query(
                """
                UPDATE jobs j SET status = 'canceled',
                    status_reason = format('canceled; %s running shard(s) did not report within %s s of the cancel',
                                           (SELECT count(*) FROM shards s WHERE s.job_uuid = j.uuid AND s.status IN ('pending', 'running')),
                                           \(grace)::integer),
                    finished_at = now(), updated_at = now()
                FROM (SELECT uuid FROM jobs WHERE status IN ('pending', 'running')
                        AND cancel_requested_at < now() - make_interval(secs => \(grace)::integer)
                      ORDER BY cancel_requested_at LIMIT 100 FOR UPDATE SKIP LOCKED) due
                WHERE j.uuid = due.uuid AND j.status IN ('pending', 'running')
                RETURNING j.uuid
                """,
                logger: logger)
        }
    }

    private func endJobs(ofSilentPool pool: String) async throws -> [UUID] {
        let reason =
            "no worker serves pool '\(pool)': none was alive for \(settings.noWorkerGrace) s while shards waited in \(Topology.shardsQueue(pool: pool))"
        return try await end { connection in
            try await connection.query(
                """
                UPDATE jobs j SET status = 'error', status_reason = \(reason), finished_at = now(), updated_at = now()
                FROM (SELECT uuid FROM jobs WHERE status IN ('pending', 'running') AND shard_count IS NOT NULL
                        AND COALESCE(options ->> 'pool', \(Topology.defaultPool)) = \(pool)
                      ORDER BY created_at LIMIT 100 FOR UPDATE SKIP LOCKED) due
                WHERE j.uuid = due.uuid AND j.status IN ('pending', 'running')
                RETURNING j.uuid
                """,
                logger: logger)
        }
    }

    /// The pools of split, unfinished jobs.
    private func poolsWithWaitingShards() async throws -> [String] {
        let logger = self.logger
        return try await client.withWatchedConnection { connection in
            var pools: [String] = []
            for try await pool in try await connection.query(
                """
                SELECT DISTINCT COALESCE(options ->> 'pool', \(Topology.defaultPool)) FROM jobs
                WHERE status IN ('pending', 'running') AND shard_count IS NOT NULL
                """,
                logger: logger
            ).decode(String.self) {
                pools.append(pool)
            }
            return pools
        }
    }

    /// Runs one ending `UPDATE … RETURNING uuid` and queues a cancel control message for each job it ended,
    /// in one transaction.
    private func end(_ update: @escaping @Sendable (PostgresConnection) async throws -> PostgresRowSequence) async throws -> [UUID] {
        let logger = self.logger
        do {
            return try await client.withWatchedTransaction(logger: logger) { connection in
                var jobs: [UUID] = []
                for try await uuid in try await update(connection).decode(UUID.self) { jobs.append(uuid) }
                for job in jobs {
                    try await connection.queueCancel(job: job, logger: logger)
                }
                return jobs
            }
        } catch let error as PostgresTransactionError {
            throw error.closureError ?? error
        }
    }
}
