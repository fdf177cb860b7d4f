import Foundation
import Shared

/// Builds a run's pipeline events and keeps its counter.
struct RunEvents: Sendable {
    let shard: ShardMessage
    let runID: UUID
    let attempt: Int
    let workerID: String
    private(set) var counter = 0

    init(shard: ShardMessage, runID: UUID, attempt: Int, workerID: String) {
        self.shard = shard
        self.runID = runID
        self.attempt = attempt
        self.workerID = workerID
    }

    mutating func nextCounter() -> Int {
        counter += 1
        return counter
    }

    /// `shard/<index>/run/<run id>/<suffix>`, plus the counter for events that may repeat in a run.
    mutating func pipeline(_ type: String, suffix: String, data: [String: JSONValue]? = nil, stdout: String? = nil) -> PansibleEvent {
        let counter = nextCounter()
        var id = "shard/\(shard.index)/run/\(runID.uuidString.lowercased())/\(suffix)"
        if type == "stdout" { id += "/\(counter)" }
        return PansibleEvent(id: id, type: type, counter: counter, stdout: stdout, data: data.map { .object($0) })
    }

    /// The facts every pipeline event of the run carries, merged with `extra`.
    func runData(_ extra: [String: JSONValue] = [:]) -> [String: JSONValue] {
        var data: [String: JSONValue] = [
            "run_id": .string(runID.uuidString.lowercased()),
            "attempt": .int(Int64(attempt)),
            "worker_id": .string(workerID),
            "shard_index": .int(Int64(shard.index)),
            "hosts": .int(Int64(shard.hosts.count)),
        ]
        data.merge(extra) { _, new in new }
        return data
    }
}
