import Crypto
import Foundation
import Shared

/// A message (or one event of a message) the collector keeps in `dead_letters` instead of dropping it: a
/// message read from `pansible.dead`, or an event the database refused.
struct DeadLetter: Sendable, Equatable {
    /// Unique per message (its id, or a digest of its body) and per isolated event (`<message key>#<event id>`).
    var key: String
    var jobUUID: UUID?
    var messageID: String?
    var eventID: String?
    var exchange: String
    var routingKey: String
    var body: [UInt8]
    var reason: String

    /// The record of a whole message.
    init(delivery: Delivery, jobUUID: UUID?, reason: String) {
        self.key = Self.key(of: delivery)
        self.jobUUID = jobUUID ?? Self.jobUUID(routingKey: delivery.routingKey)
        self.messageID = delivery.messageID
        self.eventID = nil
        self.exchange = delivery.exchange
        self.routingKey = delivery.routingKey
        self.body = delivery.body
        self.reason = reason
    }

    /// The record of one event of a message: the body is the whole message, `eventID` says which event.
    init(delivery: Delivery, jobUUID: UUID, eventID: String, reason: String) {
        self.init(delivery: delivery, jobUUID: jobUUID, reason: reason)
        self.key += "#" + eventID
        self.eventID = eventID
    }

    /// The message's id, or the SHA-256 of its body when it has none, so a redelivery maps to the same row.
    static func key(of delivery: Delivery) -> String {
        if let id = delivery.messageID, !id.isEmpty { return id }
        return "sha256:" + SHA256.hash(data: delivery.body).map { String(format: "%02x", $0) }.joined()
    }

    /// The job of an event routing key (`job.<uuid>.<source>`), if it names one.
    static func jobUUID(routingKey: String) -> UUID? {
        let parts = routingKey.split(separator: ".")
        guard parts.count >= 2, parts[0] == "job" else { return nil }
        return UUID(uuidString: String(parts[1]))
    }
}
