extension Migration {
    /// Every job's deadline (set by the gateway at launch), and the index the collector's sweeper reads to
    /// find the unfinished jobs past it.
    static let jobDeadlines = Migration(
        version: 101,
        name: "job deadlines",
        statements: [
            "ALTER TABLE jobs ADD COLUMN deadline_at timestamptz",
            "CREATE INDEX jobs_unfinished_deadline ON jobs (deadline_at) WHERE status IN ('pending', 'running')",
        ]
    )
}
