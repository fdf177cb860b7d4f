import Foundation
import Shared

/// Where the collector writes event batches. One call is one transaction: the events are inserted (a
/// duplicate is skipped), the jobs they touch are folded, and only then does the call return.
protocol EventStore: Sendable {
    /// Also records `deadLetters` (each once, by key) in the same transaction.
    func write(_ batches: [IncomingBatch], deadLetters: [DeadLetter]) async throws -> WriteOutcome
}

extension EventStore {
    func write(_ batches: [IncomingBatch]) async throws -> WriteOutcome {
        try await write(batches, deadLetters: [])
    }
}

/// What one write did.
struct WriteOutcome: Sendable, Equatable {
    /// Events stored by this write.
    var inserted: Int
    /// Events already stored (redeliveries, duplicates within the write).
    var duplicates: Int
    /// The status of every folded job after the write.
    var jobStatuses: [UUID: JobStatus]

    var finishedJobs: Set<UUID> { Set(jobStatuses.filter { $0.value.isFinished }.keys) }
}
