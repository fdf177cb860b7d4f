/// One event as read from a message body: the values `events` keeps in its own columns, and where the event's
/// JSON lies in the body (stored as its payload).
struct ScannedEvent: Sendable, Equatable {
    var id = ""
    var type = ""
    var counter: Int?
    var parentUUID: String?
    var host: String?
    var play: String?
    var task: String?
    var taskAction: String?
    var role: String?
    var ignoreErrors: Bool?
    /// As sent (checked by `TimestampText`).
    var timestamp = ""
    var duration: Double?
    /// The event object's bytes in the message body.
    var payload: Range<Int> = 0..<0
    /// The payload holds an escape `jsonb` refuses and must go through `JSONText.storable`.
    var payloadNeedsRewrite = false
    /// Spans of the values progress messages carry as they are (nil when absent or null).
    var result: Range<Int>?
    var data: Range<Int>?
    var stdout: Range<Int>?

    /// True for the results Ansible counts as a host failure in its recap: a failed task whose failure is not
    /// ignored. Item failures and async poll failures are followed by the task's own `runner_on_failed`, which
    /// is the one Ansible counts; unreachable hosts are counted apart.
    var countsAsFailure: Bool { type == "runner_on_failed" && ignoreErrors != true }
}

extension ScannedEvent {
    /// Reads one event object (`PansibleEvent`'s keys; others are kept in the payload and otherwise ignored).
    init(reading reader: inout JSONReader, index: Int) throws {
        let what = "events[\(index)]"
        reader.sawUnstorableEscape = false
        let start = reader.valueStart()
        try reader.beginObject(what)
        var first = true
        var seen: (id: Bool, type: Bool, timestamp: Bool) = (false, false, false)
        while let key = try reader.nextKey(first: &first) {
            switch key {
            case "id":
                id = try reader.readString("\(what).id")
                seen.id = true
            case "type":
                type = try reader.readString("\(what).type")
                seen.type = true
            case "timestamp":
                timestamp = try reader.readString("\(what).timestamp")
                guard TimestampText.isValid(timestamp) else { throw reader.failure("\(what).timestamp: expected an ISO 8601 date") }
                seen.timestamp = true
            case "counter": counter = try reader.readOptionalInt32("\(what).counter")
            case "parent_uuid": parentUUID = try reader.readOptionalString("\(what).parent_uuid")
            case "host": host = try reader.readOptionalString("\(what).host")
            case "play": play = try reader.readOptionalString("\(what).play")
            case "task": task = try reader.readOptionalString("\(what).task")
            case "task_action": taskAction = try reader.readOptionalString("\(what).task_action")
            case "role": role = try reader.readOptionalString("\(what).role")
            case "ignore_errors": ignoreErrors = try reader.readOptionalBool("\(what).ignore_errors")
            case "duration": duration = try reader.readOptionalDouble("\(what).duration")
            case "stdout":
                let start = reader.valueStart()
                stdout = try reader.readOptionalString("\(what).stdout") == nil ? nil : start..<reader.index
            case "result": result = try reader.skipOptionalValue()
            case "data": data = try reader.skipOptionalValue()
            case "play_uuid", "task_uuid": _ = try reader.readOptionalString("\(what).\(key)")
            case "result_trimmed": _ = try reader.readOptionalBool("\(what).\(key)")
            case "started_at", "ended_at":
                if let text = try reader.readOptionalString("\(what).\(key)"), !TimestampText.isValid(text) {
                    throw reader.failure("\(what).\(key): expected an ISO 8601 date")
                }
            default: try reader.skipValue()
            }
        }
        guard seen.id, seen.type, seen.timestamp else {
            throw reader.failure("\(what): missing \(!seen.id ? "id" : !seen.type ? "type" : "timestamp")")
        }
        payload = start..<reader.index
        payloadNeedsRewrite = reader.sawUnstorableEscape
    }
}
