import Foundation
import Shared

/// The messages of `GET /api/v1/job/progress/{uuid}`, in the seed's shape.
///
/// An event: `{"_pansible_task": <run id>, "_pansible_job": <job uuid>, "type": "ok", "target": <host>,
/// "result": {...}, "counter": 7, "task": ..., "play": ..., "timestamp": ..., "shard": 0, "id": <event id>,
/// "event": "runner_on_ok"}`. `type` is the seed's short name for host results (`ok`, `failed`,
/// `unreachable`, `skipped`) and the event type otherwise. Pipeline events carry their `data`.
/// The last message: `{"type": "job_finished", "_pansible_job": ..., "_pansible_task": null, "status": ...,
/// "reason": ..., "recap": {host: {ok, changed, failures, unreachable, skipped, rescued, ignored}}}`.
/// A subscriber that falls behind gets `{"type": "lagging", ...}`, one whose token was revoked
/// `{"type": "token_revoked", ...}`, before the server closes the socket. Every message carries
/// `_pansible_job`, `_pansible_task` and `type`.
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

    /// An event's message, rendered from its JSON (`json`, where `event` was read) without decoding it: the
    /// result, data and stdout are carried as they were sent. Keys in sorted order.
    static func text(of event: ScannedEvent, in json: [UInt8], jobUUID: UUID, shardIndex: Int?, runID: UUID?) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(event.payload.count + 256)
        func key(_ name: StaticString) {
            out.append(out.isEmpty ? UInt8(ascii: "{") : UInt8(ascii: ","))
            out.append(UInt8(ascii: "\""))
            name.withUTF8Buffer { out.append(contentsOf: $0) }
            out.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
        }
        func string(_ value: String?) {
            guard let value else { return out.append(contentsOf: "null".utf8) }
            JSONText.appendQuoted(value, to: &out)
        }
        func raw(_ span: Range<Int>?) {
            guard let span else { return out.append(contentsOf: "null".utf8) }
            out.append(contentsOf: json[span])
        }
        key("_pansible_job")
        string(jobUUID.uuidString.lowercased())
        key("_pansible_task")
        string(runID.map { $0.uuidString.lowercased() })
        if let counter = event.counter {
            key("counter")
            out.append(contentsOf: String(counter).utf8)
        }
        if let data = event.data {
            key("data")
            raw(data)
        }
        key("event")
        string(event.type)
        key("id")
        string(event.id)
        if let play = event.play {
            key("play")
            string(play)
        }
        key("result")
        raw(event.result)
        if let shardIndex {
            key("shard")
            out.append(contentsOf: String(shardIndex).utf8)
        }
        if let stdout = event.stdout {
            key("stdout")
            raw(stdout)
        }
        key("target")
        string(event.host)
        if let task = event.task {
            key("task")
            string(task)
        }
        key("timestamp")
        string(event.timestamp)
        key("type")
        string(type(for: event.type))
        out.append(UInt8(ascii: "}"))
        return String(decoding: out, as: UTF8.self)
    }

    static func jobFinished(jobUUID: UUID, status: JobStatus, reason: String?, recap: [String: HostStats]) -> JSONValue {
        .object([
            "type": .string("job_finished"),
            "_pansible_job": .string(jobUUID.uuidString.lowercased()),
            "_pansible_task": .null,
            "status": .string(status.rawValue),
            "reason": reason.map(JSONValue.string) ?? .null,
            "recap": .object(recap.mapValues(\.json)),
        ])
    }

    static func lagging(jobUUID: UUID, buffer: Int) -> JSONValue {
        .object([
            "type": .string("lagging"),
            "_pansible_job": .string(jobUUID.uuidString.lowercased()),
            "_pansible_task": .null,
            "message": .string("more than \(buffer) messages behind; reconnect to replay from the start"),
        ])
    }

    /// Sent before the server closes a session whose token was revoked.
    static func tokenRevoked(jobUUID: UUID) -> JSONValue {
        .object([
            "type": .string("token_revoked"),
            "_pansible_job": .string(jobUUID.uuidString.lowercased()),
            "_pansible_task": .null,
            "message": .string("the token of this session was revoked"),
        ])
    }

    static func text(_ value: JSONValue) -> String {
        (try? String(decoding: MessageCoding.encoder().encode(value), as: UTF8.self)) ?? "{}"
    }
}
