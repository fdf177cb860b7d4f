import Foundation
import Logging
import PostgresNIO
import Shared

extension JobPostgresRepository {
    /// In one transaction, with the job held (`FOR SHARE`) while its hosts are read: the failed ones are those
    /// whose summary has failures or unreachable counts, and those of its shards that never reported (a shard
    /// that could not run, or was canceled before it ran).
    func relaunch(uuid: UUID, hosts: RelaunchHosts) async throws -> LaunchedJob {
        let logger = self.logger
        let defaultDeadline = self.defaultDeadline
        let job: LaunchedJob
        do {
            job = try await client.withWatchedTransaction(logger: logger) { connection in
                guard
                    let original = try await connection.records(
                        "SELECT \(unescaped: Job.columns) FROM jobs WHERE uuid = \(uuid) FOR SHARE", logger: logger, Job.init(row:)
                    ).first
                else { throw APIError.notFound("job", id: uuid.uuidString.lowercased()) }
                let split =
                    try await connection.records(
                        "SELECT count(*)::int8 AS shards FROM shards WHERE job_uuid = \(uuid)", logger: logger
                    ) { row in try row.columns { c in try c("shards", as: Int64.self) } }.last ?? 0
                let selected = try await connection.records(
                    """
                    SELECT h.host
                    FROM shards s CROSS JOIN LATERAL unnest(s.hosts) WITH ORDINALITY AS h(host, position)
                    LEFT JOIN host_summaries hs ON hs.job_uuid = s.job_uuid AND hs.host = h.host
                    WHERE s.job_uuid = \(uuid) AND (\(hosts == .all) OR hs.host IS NULL OR hs.failures > 0 OR hs.unreachable > 0)
                    ORDER BY s.shard_index, h.position
                    """,
                    logger: logger
                ) { row in try row.columns { c in try c("host", as: String.self) } }
                let launch = try JobLaunch.relaunching(original, hosts: split > 0 ? selected : nil)
                return try await Self.launch(launch, defaultDeadline: defaultDeadline, on: connection, logger: logger).job
            }
        } catch let error as PostgresTransactionError {
            throw error.closureError ?? error
        }
        await signal.notify()
        logger.info(
            "job relaunched",
            metadata: ["job.uuid": "\(job.uuid.uuidString.lowercased())", "job.relaunch_of": "\(uuid.uuidString.lowercased())", "hosts": "\(hosts)"]
        )
        return job
    }
}
