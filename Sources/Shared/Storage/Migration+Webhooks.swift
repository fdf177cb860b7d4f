extension Migration {
    /// Webhooks and their deliveries. A trigger queues one delivery per webhook when a job first reaches a final
    /// status, in the transaction that sets it, whichever process does (the collector, its sweeper, a cancel).
    static let webhooks = Migration(
        version: 105,
        name: "webhooks",
        statements: [
            """
            CREATE TABLE webhooks (
                id bigserial PRIMARY KEY,
                url text NOT NULL,
                events text[] NOT NULL,
                -- AES-GCM box of the signing secret under secret_key, as credentials are kept.
                sealed_secret bytea NOT NULL,
                -- Only jobs of these envs; NULL for every env.
                envs text[],
                created_by bigint,
                created_at timestamptz NOT NULL DEFAULT now()
            )
            """,
            """
            CREATE TABLE webhook_deliveries (
                id bigserial PRIMARY KEY,
                webhook_id bigint NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
                event text NOT NULL,
                job_uuid uuid NOT NULL,
                status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
                attempts integer NOT NULL DEFAULT 0,
                -- When the next attempt is due; while one is under way, when it may be taken again.
                next_attempt_at timestamptz NOT NULL DEFAULT now(),
                -- The body as first sent, so that every attempt sends (and signs) the same bytes.
                payload text,
                created_at timestamptz NOT NULL DEFAULT now(),
                delivered_at timestamptz,
                UNIQUE (webhook_id, event, job_uuid)
            )
            """,
            "CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending'",
            """
            CREATE TABLE webhook_attempts (
                delivery_id bigint NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
                attempt integer NOT NULL,
                at timestamptz NOT NULL DEFAULT now(),
                status_code integer,
                error text,
                duration_ms integer NOT NULL,
                PRIMARY KEY (delivery_id, attempt)
            )
            """,
            """
            CREATE FUNCTION pansible_queue_job_finished() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                INSERT INTO webhook_deliveries (webhook_id, event, job_uuid)
                SELECT id, 'job_finished', NEW.uuid FROM webhooks
                WHERE 'job_finished' = ANY (events) AND (envs IS NULL OR NEW.env = ANY (envs))
                ON CONFLICT DO NOTHING;
                RETURN NULL;
            END
            $$
            """,
            """
            CREATE TRIGGER jobs_finished_webhooks AFTER UPDATE OF status ON jobs FOR EACH ROW
            WHEN (NEW.status IN ('successful', 'failed', 'error', 'canceled') AND OLD.status NOT IN ('successful', 'failed', 'error', 'canceled'))
            EXECUTE FUNCTION pansible_queue_job_finished()
            """,
        ]
    )
}
