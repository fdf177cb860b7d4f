extension Migration {
    /// Messages from `pansible.dead`, and events the database refused, kept rather than dropped.
    ///
    /// One row per dead-lettered message (`key` is its message id, or `sha256:<hex>` of its body without one),
    /// and one per event isolated from a batch the database refused (`key` is `<message key>#<event id>`), so
    /// recording the same one twice is a no-op. `job_uuid` is null when the message names no job. Written by
    /// the collector; the gateway shows the count on the job.
    static let deadLetters = Migration(
        version: 210,
        name: "dead letters",
        statements: [
            """
            CREATE TABLE dead_letters (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                key text NOT NULL UNIQUE,
                job_uuid uuid,
                message_id text,
                event_id text,
                exchange text NOT NULL DEFAULT '',
                routing_key text NOT NULL DEFAULT '',
                body bytea NOT NULL,
                reason text NOT NULL,
                created_at timestamptz NOT NULL DEFAULT now()
            )
            """,
            "CREATE INDEX dead_letters_job ON dead_letters (job_uuid, id)",
        ]
    )
}
