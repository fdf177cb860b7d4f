import Foundation
import Shared

/// An event message read and checked (`JSONReader`), without decoding it into values: its header, and each
/// event's columns and where its JSON lies in the body. Ingestion renders `COPY` rows from it
/// (`IncomingBatch`); live progress renders messages from it (`ProgressMessage`).
@dynamicMemberLookup
struct ScannedBatch: Sendable {
    var body: [UInt8]
    var header: BatchHeader
    var events: [ScannedEvent]

    subscript<T>(dynamicMember keyPath: KeyPath<BatchHeader, T>) -> T { header[keyPath: keyPath] }

    /// Reads a message body; throws `PoisonMessage` when it is not a valid event batch.
    static func read(_ body: [UInt8]) throws -> ScannedBatch {
        guard String(validating: body, as: UTF8.self) != nil else { throw PoisonMessage(reason: "not an event batch: invalid UTF-8") }
        var reader = JSONReader(body)
        do {
            return try read(&reader)
        } catch let failure as JSONReader.Failure {
            throw PoisonMessage(reason: "not an event batch: \(failure)")
        }
    }

    private static func read(_ reader: inout JSONReader) throws -> ScannedBatch {
        var schema: Int?
        var jobUUID: UUID?
        var source: String?
        var shardIndex: Int?
        var runID: UUID?
        var attempt: Int?
        var workerID: String?
        var events: [ScannedEvent]?
        try reader.beginObject("the message")
        var first = true
        while let key = try reader.nextKey(first: &first) {
            switch key {
            case "schema": schema = try reader.readOptionalInt32("schema")
            case "job_uuid": jobUUID = try uuid(&reader, "job_uuid")
            case "source": source = try reader.readString("source")
            case "shard_index": shardIndex = try reader.readOptionalInt32("shard_index")
            case "run_id": runID = try reader.readNull() ? nil : uuid(&reader, "run_id")
            case "attempt": attempt = try reader.readOptionalInt32("attempt")
            case "worker_id": workerID = try reader.readOptionalString("worker_id")
            case "events":
                var scanned: [ScannedEvent] = []
                try reader.beginArray("events")
                var firstEvent = true
                while try reader.nextElement(first: &firstEvent) {
                    scanned.append(try ScannedEvent(reading: &reader, index: scanned.count))
                }
                events = scanned
            default: try reader.skipValue()
            }
        }
        guard reader.isAtEnd() else { throw reader.failure("data after the message") }
        guard let schema else { throw PoisonMessage(reason: "not an event batch: missing schema") }
        guard schema == EventBatch.currentSchema else {
            throw PoisonMessage(reason: "unsupported event batch schema \(schema), expected \(EventBatch.currentSchema)")
        }
        guard let jobUUID, let source, let events else {
            throw PoisonMessage(reason: "not an event batch: missing \(jobUUID == nil ? "job_uuid" : source == nil ? "source" : "events")")
        }
        if let index = events.firstIndex(where: { $0.id.isEmpty || $0.type.isEmpty }) {
            throw PoisonMessage(reason: "event \(index) has an empty id or type")
        }
        if let shardIndex, shardIndex < 0 {
            throw PoisonMessage(reason: "negative shard_index \(shardIndex)")
        }
        let header = BatchHeader(
            jobUUID: jobUUID, source: source, shardIndex: shardIndex, runID: runID, attempt: attempt, workerID: workerID)
        return ScannedBatch(body: reader.bytes, header: header, events: events)
    }

    private static func uuid(_ reader: inout JSONReader, _ what: String) throws -> UUID {
        guard let value = UUID(uuidString: try reader.readString(what)) else { throw reader.failure("\(what): expected a UUID") }
        return value
    }
}

/// A message that can never be stored: it is rejected (dead-lettered) and counted.
struct PoisonMessage: Error, CustomStringConvertible {
    var reason: String
    var description: String { reason }
}
