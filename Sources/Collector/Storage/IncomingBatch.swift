import Foundation
import Shared

/// An event message read and checked, with its rows already rendered for `COPY`, ready to write.
///
/// The body is read once (`JSONReader`): the columns come out of it, and each event's payload is the event's
/// own JSON text from the body, so nothing is decoded into values and encoded again. Rendering happens when
/// the message arrives, off the writer's path, so the writer's transaction only streams bytes.
@dynamicMemberLookup
package struct IncomingBatch: Sendable {
    var header: BatchHeader
    var eventCount: Int
    /// The batch holds an event that can change its job's state (`StateEvent.isStateType`).
    var hasStateEvent: Bool
    /// The first event's timestamp, as sent.
    var firstTimestamp: String?
    /// One `COPY` text row per event (`columns`), in the batch's order.
    var copyRows: [UInt8]
    /// Each event's id, type and where its row ends in `copyRows`, so a refused batch can be written event by event.
    var rows: [Row] = []

    struct Row: Sendable, Equatable {
        var eventID: String
        var type: String
        var end: Int
    }

    /// The `events` columns `copyRows` fills, in order.
    static let columns = [
        "job_uuid", "event_id", "type", "shard_index", "run_id", "attempt", "counter", "parent_uuid", "host", "play", "task",
        "task_action", "role", "failed", "ignore_errors", "created_at", "duration", "payload",
    ]

    package subscript<T>(dynamicMember keyPath: KeyPath<BatchHeader, T>) -> T { header[keyPath: keyPath] }

    /// Reads a message body; throws `PoisonMessage` when it is not a valid event batch.
    static func decode(_ body: [UInt8]) throws -> IncomingBatch {
        let scanned = try ScannedBatch.read(body)
        var batch = IncomingBatch(
            header: scanned.header, eventCount: scanned.events.count,
            hasStateEvent: scanned.events.contains { StateEvent.isStateType($0.type) }, firstTimestamp: scanned.events.first?.timestamp,
            copyRows: []
        )
        (batch.copyRows, batch.rows) = batch.render(scanned.events, body: body)
        return batch
    }

    private func render(_ events: [ScannedEvent], body: [UInt8]) -> ([UInt8], [Row]) {
        let job = header.jobUUID.uuidString.lowercased()
        let shard = header.shardIndex.map(String.init)
        let run = header.runID.map { $0.uuidString.lowercased() }
        let attempt = header.attempt.map(String.init)
        var writer = CopyTextWriter(bytes: [])
        writer.bytes.reserveCapacity(events.reduce(0) { $0 + $1.payload.count + 160 })
        var rows: [Row] = []
        rows.reserveCapacity(events.count)
        for event in events {
            writer.field(job)
            writer.field(event.id)
            writer.field(event.type)
            writer.field(shard)
            writer.field(run)
            writer.field(attempt)
            writer.field(event.counter.map(String.init))
            writer.field(event.parentUUID)
            writer.field(event.host)
            writer.field(event.play)
            writer.field(event.task)
            writer.field(event.taskAction)
            writer.field(event.role)
            writer.field(event.countsAsFailure ? "t" : "f")
            writer.field(event.ignoreErrors.map { $0 ? "t" : "f" })
            writer.field(event.timestamp)
            writer.field(event.duration.map { String($0) })
            if event.payloadNeedsRewrite {
                writer.field(utf8: JSONText.storable(body[event.payload]))
            } else {
                writer.field(utf8: body[event.payload])
            }
            writer.endRow()
            rows.append(Row(eventID: event.id, type: event.type, end: writer.bytes.count))
        }
        return (writer.bytes, rows)
    }

    /// The batch's events in `range` alone, with the batch's header.
    func events(in range: Range<Int>) -> IncomingBatch {
        let start = range.lowerBound == 0 ? 0 : rows[range.lowerBound - 1].end
        let end = rows[range.upperBound - 1].end
        let part = rows[range].map { Row(eventID: $0.eventID, type: $0.type, end: $0.end - start) }
        return IncomingBatch(
            header: header, eventCount: part.count, hasStateEvent: part.contains { StateEvent.isStateType($0.type) },
            firstTimestamp: firstTimestamp, copyRows: Array(copyRows[start..<end]), rows: part
        )
    }
}

extension IncomingBatch {
    /// A batch made here (the collector's own events): encoded as a worker would send it, then read back.
    package init(batch: EventBatch) throws {
        self = try Self.decode(try MessageCoding.encode(batch))
    }
}
