import Foundation
import Logging
import NIOCore
import PostgresNIO

extension PostgresConnection {
    /// Queues the job's cancel control message (`job/<uuid>/cancel`) in the outbox, inside the caller's
    /// transaction; the gateway's relay publishes it. Never two of them wait unpublished: a cancel asked for
    /// again while one waits adds nothing.
    public func queueCancel(job: UUID, logger: Logger) async throws {
        let message = ControlMessage(action: .cancel, jobUUID: job)
        let body = try MessageCoding.encode(message)
        try await query(
            """
            INSERT INTO outbox (exchange, routing_key, message_id, body)
            SELECT \(Topology.controlExchange), '', \(message.messageID), \(ByteBuffer(bytes: body))
            WHERE NOT EXISTS (SELECT 1 FROM outbox WHERE message_id = \(message.messageID) AND published_at IS NULL)
            """,
            logger: logger)
    }
}
