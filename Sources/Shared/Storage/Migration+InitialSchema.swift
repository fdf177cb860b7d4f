extension Migration {
    /// The whole pipeline's tables.
    ///
    /// Ownership: the gateway writes tokens, inventories, playbooks, apps, credentials, jobs and the outbox;
    /// the collector writes events, shards, shard runs, host summaries and job status.
    static let initialSchema = Migration(
        version: 1,
        name: "initial schema",
        statements: [
            """
            CREATE TABLE api_tokens (
                id bigserial PRIMARY KEY,
                name text NOT NULL,
                token_hash bytea NOT NULL UNIQUE,
                created_at timestamptz NOT NULL DEFAULT now(),
                last_used_at timestamptz,
                revoked_at timestamptz
            )
            """,
            """
            CREATE TABLE credentials (
                id bigserial PRIMARY KEY,
                name text NOT NULL UNIQUE,
                -- AES-GCM combined box (nonce, ciphertext, tag) of the JSON secret, under the configured secret_key.
                sealed bytea NOT NULL,
                has_ssh_key boolean NOT NULL DEFAULT false,
                has_vault_password boolean NOT NULL DEFAULT false,
                username text,
                created_at timestamptz NOT NULL DEFAULT now()
            )
            """,
            """
            CREATE TABLE inventories (
                id bigserial PRIMARY KEY,
                name text NOT NULL,
                env text NOT NULL,
                version text NOT NULL,
                hosts text NOT NULL,
                vars text,
                host_count integer NOT NULL DEFAULT 0,
                created_at timestamptz NOT NULL DEFAULT now(),
                updated_at timestamptz NOT NULL DEFAULT now()
            )
            """,
            "CREATE INDEX inventories_env ON inventories (env)",
            """
            CREATE TABLE inventory_versions (
                inventory_id bigint NOT NULL REFERENCES inventories (id) ON DELETE CASCADE,
                version text NOT NULL,
                hosts text NOT NULL,
                vars text,
                created_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (inventory_id, version)
            )
            """,
            """
            CREATE TABLE playbooks (
                id bigserial PRIMARY KEY,
                name text NOT NULL,
                git_repo text NOT NULL,
                entry text NOT NULL,
                ref text,
                credential_id bigint REFERENCES credentials (id) ON DELETE SET NULL,
                created_at timestamptz NOT NULL DEFAULT now()
            )
            """,
            """
            CREATE TABLE apps (
                id bigserial PRIMARY KEY,
                appid text NOT NULL UNIQUE,
                created_at timestamptz NOT NULL DEFAULT now()
            )
            """,
            """
            CREATE TABLE app_playbooks (
                app_id bigint NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
                playbook_id bigint NOT NULL REFERENCES playbooks (id) ON DELETE CASCADE,
                created_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (app_id, playbook_id)
            )
            """,
            """
            CREATE TABLE app_inventories (
                app_id bigint NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
                inventory_id bigint NOT NULL REFERENCES inventories (id) ON DELETE CASCADE,
                created_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (app_id, inventory_id)
            )
            """,
            """
            CREATE TABLE jobs (
                id bigserial PRIMARY KEY,
                uuid uuid NOT NULL UNIQUE,
                env text NOT NULL,
                playbook_id bigint REFERENCES playbooks (id) ON DELETE SET NULL,
                inventory_id bigint REFERENCES inventories (id) ON DELETE SET NULL,
                inventory_version text,
                app_id bigint REFERENCES apps (id) ON DELETE SET NULL,
                credential_id bigint REFERENCES credentials (id) ON DELETE SET NULL,
                options jsonb NOT NULL DEFAULT '{}',
                idempotency_key text UNIQUE,
                status text NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'running', 'successful', 'failed', 'error', 'canceled')),
                status_reason text,
                playbook_commit text,
                shard_count integer,
                host_count integer,
                cancel_requested_at timestamptz,
                created_at timestamptz NOT NULL DEFAULT now(),
                started_at timestamptz,
                finished_at timestamptz,
                updated_at timestamptz NOT NULL DEFAULT now()
            )
            """,
            "CREATE INDEX jobs_status_created ON jobs (status, created_at DESC)",
            "CREATE INDEX jobs_env_created ON jobs (env, created_at DESC)",
            "CREATE INDEX jobs_app_created ON jobs (app_id, created_at DESC)",
            "CREATE INDEX jobs_inventory_active ON jobs (inventory_id) WHERE status IN ('pending', 'running')",
            """
            CREATE TABLE outbox (
                id bigserial PRIMARY KEY,
                exchange text NOT NULL,
                routing_key text NOT NULL,
                message_id text NOT NULL,
                body bytea NOT NULL,
                created_at timestamptz NOT NULL DEFAULT now(),
                published_at timestamptz,
                attempts integer NOT NULL DEFAULT 0,
                last_error text
            )
            """,
            "CREATE INDEX outbox_unpublished ON outbox (id) WHERE published_at IS NULL",
            """
            CREATE TABLE shards (
                job_uuid uuid NOT NULL REFERENCES jobs (uuid) ON DELETE CASCADE,
                shard_index integer NOT NULL,
                hosts text[] NOT NULL,
                status text NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'running', 'successful', 'failed', 'error', 'canceled')),
                attempts integer NOT NULL DEFAULT 0,
                current_run_id uuid,
                current_attempt integer,
                rc integer,
                reason text,
                started_at timestamptz,
                finished_at timestamptz,
                PRIMARY KEY (job_uuid, shard_index)
            )
            """,
            """
            CREATE TABLE shard_runs (
                run_id uuid PRIMARY KEY,
                job_uuid uuid NOT NULL REFERENCES jobs (uuid) ON DELETE CASCADE,
                shard_index integer NOT NULL,
                attempt integer NOT NULL,
                worker_id text,
                status text NOT NULL DEFAULT 'running',
                rc integer,
                reason text,
                started_at timestamptz,
                finished_at timestamptz
            )
            """,
            "CREATE INDEX shard_runs_shard ON shard_runs (job_uuid, shard_index, attempt)",
            """
            CREATE TABLE events (
                -- Arrival order: replay and pagination follow it.
                seq bigint GENERATED ALWAYS AS IDENTITY,
                job_uuid uuid NOT NULL,
                event_id text NOT NULL,
                type text NOT NULL,
                shard_index integer,
                run_id uuid,
                attempt integer,
                counter integer,
                parent_uuid text,
                host text,
                play text,
                task text,
                task_action text,
                role text,
                failed boolean NOT NULL DEFAULT false,
                ignore_errors boolean,
                created_at timestamptz NOT NULL,
                duration double precision,
                payload jsonb NOT NULL,
                PRIMARY KEY (job_uuid, event_id)
            )
            """,
            "CREATE UNIQUE INDEX events_job_seq ON events (job_uuid, seq)",
            "CREATE INDEX events_job_host ON events (job_uuid, host, seq)",
            "CREATE INDEX events_run_counter ON events (run_id, counter)",
            """
            CREATE TABLE host_summaries (
                -- The seed's stats id.
                id bigserial PRIMARY KEY,
                job_uuid uuid NOT NULL REFERENCES jobs (uuid) ON DELETE CASCADE,
                host text NOT NULL,
                shard_index integer NOT NULL,
                run_id uuid NOT NULL,
                attempt integer NOT NULL,
                ok integer NOT NULL DEFAULT 0,
                changed integer NOT NULL DEFAULT 0,
                failures integer NOT NULL DEFAULT 0,
                unreachable integer NOT NULL DEFAULT 0,
                skipped integer NOT NULL DEFAULT 0,
                rescued integer NOT NULL DEFAULT 0,
                ignored integer NOT NULL DEFAULT 0,
                job_start_time timestamptz,
                updated_at timestamptz NOT NULL DEFAULT now(),
                UNIQUE (job_uuid, host)
            )
            """,
        ]
    )
}
