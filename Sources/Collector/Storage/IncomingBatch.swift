import Foundation
import Shared

/// A decoded event batch with its rows already rendered for `COPY`, ready to write.
///
/// Rendering happens when the message arrives, off the writer's path, so the writer's transaction only
/// streams bytes.
struct IncomingBatch: Sendable {
    var batch: EventBatch
    /// One `COPY` text line per event, in the batch's order.
    var copyText: String

    var eventCount: Int { batch.events.count }

    init(batch: EventBatch) throws {
        self.batch = batch
        let encoder = MessageCoding.encoder()
        var text = ""
        text.reserveCapacity(batch.events.count * 512)
        for event in batch.events {
            let payload = JSONText.replacingNulEscapes(String(decoding: try encoder.encode(event), as: UTF8.self))
            EventRow(batch: batch, event: event, payload: payload).copyLine(into: &text)
        }
        self.copyText = text
    }

    /// Decodes a message body; throws `PoisonMessage` when it is not a valid event batch.
    static func decode(_ body: [UInt8]) throws -> IncomingBatch {
        let batch: EventBatch
        do {
            batch = try MessageCoding.decode(EventBatch.self, from: body)
        } catch {
            throw PoisonMessage(reason: "not an event batch: \(error)")
        }
        guard batch.schema == EventBatch.currentSchema else {
            throw PoisonMessage(reason: "unsupported event batch schema \(batch.schema), expected \(EventBatch.currentSchema)")
        }
        if let index = batch.events.firstIndex(where: { $0.id.isEmpty || $0.type.isEmpty }) {
            throw PoisonMessage(reason: "event \(index) has an empty id or type")
        }
        if let shardIndex = batch.shardIndex, shardIndex < 0 {
            throw PoisonMessage(reason: "negative shard_index \(shardIndex)")
        }
        return try IncomingBatch(batch: batch)
    }
}

/// A message that can never be stored: it is rejected (dead-lettered) and counted.
struct PoisonMessage: Error, CustomStringConvertible {
    var reason: String
    var description: String { reason }
}
