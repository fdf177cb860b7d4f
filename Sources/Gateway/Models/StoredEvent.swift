import Foundation

/// A stored event: its arrival number and its JSON (the `PansibleEvent` with `seq`, `shard_index`, `run_id`, `attempt`).
struct StoredEvent: Sendable, Equatable {
    var seq: Int64
    var payload: String
}

/// The filters and page of `GET /api/v1/job/{uuid}/events`.
struct EventQuery: Sendable {
    /// Only events after this `seq`.
    var after: Int64
    var limit: Int64
    var host: String?
    var type: String?
    var failed: Bool?
    var shard: Int64?
}
