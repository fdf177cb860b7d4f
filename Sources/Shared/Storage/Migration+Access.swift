extension Migration {
    /// Roles and environment scopes of API tokens, environments of credentials, and the audit log.
    static let access = Migration(
        version: 103,
        name: "roles, scopes and audit log",
        statements: [
            """
            ALTER TABLE api_tokens
                ADD COLUMN role text NOT NULL DEFAULT 'operator' CHECK (role IN ('viewer', 'operator', 'admin')),
                ADD COLUMN envs text[]
            """,
            "ALTER TABLE credentials ADD COLUMN envs text[]",
            """
            CREATE TABLE audit_log (
                id bigserial PRIMARY KEY,
                at timestamptz NOT NULL DEFAULT now(),
                -- NULL with the name 'admin_token' for the configured admin token, NULL without a name when no token was accepted.
                token_id bigint,
                token_name text,
                method text NOT NULL,
                path text NOT NULL,
                action text NOT NULL,
                resource text,
                resource_id text,
                env text,
                status integer NOT NULL
            )
            """,
            "CREATE INDEX audit_log_token ON audit_log (token_id, id)",
            "CREATE INDEX audit_log_resource ON audit_log (resource, id)",
            "CREATE INDEX audit_log_at ON audit_log (at)",
        ]
    )
}
