import Foundation
import Shared

/// Where this collector's live events come from: a queue of its own, bound to `pansible.events` for each
/// job its subscribers watch (`job.<uuid>.#`), fed as events are published, whichever collector stores them.
protocol LiveEventSource: Sendable {
    /// The event messages of every bound job, in publication order. Called once. Each message is
    /// acknowledged once handed to the subscribers; the source holds a bounded number unacknowledged.
    func messages() async throws -> AsyncThrowingStream<LiveMessage, any Error>
    /// Starts receiving the job's events; returns once the binding is in place.
    func bind(jobUUID: UUID) async throws
    /// Stops receiving the job's events.
    func unbind(jobUUID: UUID) async throws
}

/// One message of the live queue: its body, as published, and how to acknowledge it.
struct LiveMessage: Sendable {
    var body: [UInt8]
    var acknowledge: @Sendable () async -> Void

    init(body: [UInt8], acknowledge: @escaping @Sendable () async -> Void = {}) {
        self.body = body
        self.acknowledge = acknowledge
    }
}
