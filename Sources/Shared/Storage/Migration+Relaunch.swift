extension Migration {
    /// The job a relaunch was made from (`POST /api/v1/job/{uuid}/relaunch`).
    static let jobRelaunches = Migration(
        version: 102,
        name: "job relaunches",
        statements: [
            "ALTER TABLE jobs ADD COLUMN relaunch_of uuid REFERENCES jobs (uuid) ON DELETE SET NULL",
            "CREATE INDEX jobs_relaunch_of ON jobs (relaunch_of) WHERE relaunch_of IS NOT NULL",
        ]
    )
}
