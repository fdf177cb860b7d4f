import Logging
import NIOCore
import PostgresNIO

extension Principal {
    /// The API token stored in `api_tokens` with this digest and not revoked, as a principal, or nil.
    ///
    /// - Parameter noteUse: whether to record the use in `last_used_at` (at most once a minute, so
    ///   authenticating stays a read in the common case).
    public static func stored(digest: [UInt8], noteUse: Bool, client: PostgresClient, logger: Logger) async throws -> Principal? {
        let hash = ByteBuffer(bytes: digest)
        return try await client.withWatchedConnection { connection in
            let rows = try await connection.query(
                """
                WITH token AS (
                    SELECT id, name, role, envs, last_used_at FROM api_tokens WHERE token_hash = \(hash) AND revoked_at IS NULL
                ), touched AS (
                    UPDATE api_tokens SET last_used_at = now()
                    WHERE \(noteUse) AND id = (SELECT id FROM token)
                        AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')
                )
                SELECT id, name, role, envs FROM token
                """,
                logger: logger
            )
            for try await (id, name, role, envs) in rows.decode((Int64, String, String, [String]?).self) {
                return Principal(tokenID: id, name: name, role: Role(rawValue: role) ?? .viewer, envs: envs.map(Set.init))
            }
            return nil
        }
    }
}
