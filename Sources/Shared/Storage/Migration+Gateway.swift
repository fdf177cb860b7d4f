extension Migration {
    /// The gateway's indexes: failed events by host (job results), and outbox rows by message id (cancel).
    static let gatewayIndexes = Migration(
        version: 100,
        name: "gateway indexes",
        statements: [
            "CREATE INDEX events_job_failed_host ON events (job_uuid, host, seq) WHERE failed",
            "CREATE INDEX outbox_message_unpublished ON outbox (message_id) WHERE published_at IS NULL",
        ]
    )
}
