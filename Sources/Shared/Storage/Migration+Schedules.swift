extension Migration {
    /// Schedules that launch jobs on a cron timetable, and the schedule each such job came from.
    static let schedules = Migration(
        version: 104,
        name: "schedules",
        statements: [
            """
            CREATE TABLE schedules (
                id bigserial PRIMARY KEY,
                name text NOT NULL UNIQUE,
                cron text NOT NULL,
                timezone text NOT NULL,
                env text NOT NULL,
                -- The body of POST /api/v1/job that each run launches, as given.
                job jsonb NOT NULL,
                enabled boolean NOT NULL DEFAULT true,
                -- The next due time; NULL while disabled.
                next_run_at timestamptz,
                last_run_at timestamptz,
                last_job_uuid uuid,
                last_error text,
                created_by bigint,
                created_at timestamptz NOT NULL DEFAULT now(),
                updated_at timestamptz NOT NULL DEFAULT now()
            )
            """,
            "CREATE INDEX schedules_due ON schedules (next_run_at) WHERE enabled",
            "ALTER TABLE jobs ADD COLUMN schedule_id bigint REFERENCES schedules (id) ON DELETE SET NULL",
            "CREATE INDEX jobs_schedule ON jobs (schedule_id, id) WHERE schedule_id IS NOT NULL",
        ]
    )
}
