import Foundation

/// What an event message says of all its events: whose they are and which run of which shard sent them.
package struct BatchHeader: Sendable, Equatable {
    var jobUUID: UUID
    /// `splitter`, `worker` or `collector`.
    var source: String
    var shardIndex: Int?
    var runID: UUID?
    var attempt: Int?
    var workerID: String?
}
