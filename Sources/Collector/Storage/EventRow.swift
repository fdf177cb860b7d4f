import Foundation
import Shared

/// One row of the `events` table, built from an event and the batch that carried it.
struct EventRow: Sendable, Equatable {
    var jobUUID: UUID
    var eventID: String
    var type: String
    var shardIndex: Int?
    var runID: UUID?
    var attempt: Int?
    var counter: Int?
    var parentUUID: String?
    var host: String?
    var play: String?
    var task: String?
    var taskAction: String?
    var role: String?
    var failed: Bool
    var ignoreErrors: Bool?
    var createdAt: Date
    var duration: Double?
    /// The event as JSON (the message's own encoding).
    var payload: String

    init(batch: EventBatch, event: PansibleEvent, payload: String) {
        self.jobUUID = batch.jobUUID
        self.eventID = event.id
        self.type = event.type
        self.shardIndex = batch.shardIndex
        self.runID = batch.runID
        self.attempt = batch.attempt
        self.counter = event.counter
        self.parentUUID = event.parentUUID
        self.host = event.host
        self.play = event.play
        self.task = event.task
        self.taskAction = event.taskAction
        self.role = event.role
        self.failed = Self.countsAsFailure(event)
        self.ignoreErrors = event.ignoreErrors
        self.createdAt = event.timestamp
        self.duration = event.duration
        self.payload = payload
    }

    /// True for the results Ansible counts as a host failure in its recap: a failed task whose failure is not
    /// ignored. Item failures and async poll failures are followed by the task's own `runner_on_failed`, which
    /// is the one Ansible counts; unreachable hosts are counted apart.
    static func countsAsFailure(_ event: PansibleEvent) -> Bool {
        event.type == "runner_on_failed" && event.ignoreErrors != true
    }
}

extension EventRow {
    /// The staging table's columns, in the order `copyLine` writes them.
    static let columns = [
        "job_uuid", "event_id", "type", "shard_index", "run_id", "attempt", "counter", "parent_uuid", "host", "play", "task",
        "task_action", "role", "failed", "ignore_errors", "created_at", "duration", "payload",
    ]

    /// The row as one line of `COPY … FROM STDIN` text format.
    func copyLine(into line: inout String) {
        var writer = CopyTextWriter(line: line)
        writer.field(jobUUID.uuidString.lowercased())
        writer.field(eventID)
        writer.field(type)
        writer.field(shardIndex.map(String.init))
        writer.field(runID.map { $0.uuidString.lowercased() })
        writer.field(attempt.map(String.init))
        writer.field(counter.map(String.init))
        writer.field(parentUUID)
        writer.field(host)
        writer.field(play)
        writer.field(task)
        writer.field(taskAction)
        writer.field(role)
        writer.field(failed ? "t" : "f")
        writer.field(ignoreErrors.map { $0 ? "t" : "f" })
        writer.field(Timestamp.format(createdAt))
        writer.field(duration.flatMap { $0.isFinite ? String($0) : nil })
        writer.field(payload)
        writer.endLine()
        line = writer.line
    }
}
