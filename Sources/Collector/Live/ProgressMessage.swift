import Foundation
import Shared

/// The messages of `GET /api/v1/job/progress/{uuid}`, in the seed's shape.
///
/// An event: `{"_pansible_task": <run id>, "_pansible_job": <job uuid>, "type": "ok", "target": <host>,
/// "result": {...}, "counter": 7, "task": ..., "play": ..., "timestamp": ..., "shard": 0, "id": <event id>,
/// "event": "runner_on_ok"}`. `type` is the seed's short name for host results (`ok`, `failed`,
/// `unreachable`, `skipped`) and the event type otherwise. Pipeline events carry their `data`.
/// The last message: `{"type": "job_finished", "_pansible_job": ..., "status": ..., "reason": ...,
/// "recap": {host: {ok, changed, failures, unreachable, skipped, rescued, ignored}}}`.
/// A subscriber that falls behind gets `{"type": "lagging", ...}` before the server closes the socket.
enum ProgressMessage {
    static func type(for eventType: String) -> String {
        switch eventType {
        case "runner_on_ok": return "ok"
        case "runner_on_failed": return "failed"
        case "runner_on_unreachable": return "unreachable"
        case "runner_on_skipped": return "skipped"
        default: return eventType
        }
    }

    static func event(_ event: PansibleEvent, jobUUID: UUID, shardIndex: Int?, runID: UUID?) -> JSONValue {
        var object: [String: JSONValue] = [
            "_pansible_job": .string(jobUUID.uuidString.lowercased()),
            "_pansible_task": runID.map { .string($0.uuidString.lowercased()) } ?? .null,
            "type": .string(type(for: event.type)),
            "event": .string(event.type),
            "id": .string(event.id),
            "target": event.host.map(JSONValue.string) ?? .null,
            "result": event.result ?? .null,
            "timestamp": .string(Timestamp.format(event.timestamp)),
        ]
        if let counter = event.counter { object["counter"] = .int(Int64(counter)) }
        if let task = event.task { object["task"] = .string(task) }
        if let play = event.play { object["play"] = .string(play) }
        if let shardIndex { object["shard"] = .int(Int64(shardIndex)) }
        if let stdout = event.stdout { object["stdout"] = .string(stdout) }
        if let data = event.data { object["data"] = data }
        return .object(object)
    }

    static func jobFinished(jobUUID: UUID, status: JobStatus, reason: String?, recap: [String: HostStats]) -> JSONValue {
        .object([
            "type": .string("job_finished"),
            "_pansible_job": .string(jobUUID.uuidString.lowercased()),
            "status": .string(status.rawValue),
            "reason": reason.map(JSONValue.string) ?? .null,
            "recap": .object(recap.mapValues(\.json)),
        ])
    }

    static func lagging(jobUUID: UUID, buffer: Int) -> JSONValue {
        .object([
            "type": .string("lagging"),
            "_pansible_job": .string(jobUUID.uuidString.lowercased()),
            "message": .string("more than \(buffer) messages behind; reconnect to replay from the start"),
        ])
    }

    static func text(_ value: JSONValue) -> String {
        (try? String(decoding: MessageCoding.encoder().encode(value), as: UTF8.self)) ?? "{}"
    }
}
