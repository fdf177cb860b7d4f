extension Migration {
    /// What the collector's fold needs beyond the initial schema.
    ///
    /// - `shards.summary_run_id`: the run whose recap is in `host_summaries` for the shard's hosts, so a
    ///   recap that arrives after its shard already finished is still written exactly once.
    /// - `events_job_state`: the few events that decide a job's state (split, shard starts and ends, recaps),
    ///   read at every fold without scanning the job's other events.
    static let collectorState = Migration(
        version: 200,
        name: "collector state",
        statements: [
            "ALTER TABLE shards ADD COLUMN summary_run_id uuid",
            """
            CREATE INDEX events_job_state ON events (job_uuid, seq)
                WHERE type IN ('job_split', 'job_failed', 'shard_started', 'shard_finished', 'shard_error', 'shard_canceled',
                               'playbook_on_stats')
            """,
        ]
    )
}
