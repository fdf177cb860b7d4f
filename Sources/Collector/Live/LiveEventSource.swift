import Foundation
import Shared

/// Where this collector's live events come from: a queue of its own, bound to `pansible.events` for each
/// job its subscribers watch (`job.<uuid>.#`), fed as events are published, whichever collector stores them.
protocol LiveEventSource: Sendable {
    /// The event batches of every bound job, in publication order. Called once.
    func batches() async throws -> AsyncThrowingStream<EventBatch, any Error>
    /// Starts receiving the job's events; returns once the binding is in place.
    func bind(jobUUID: UUID) async throws
    /// Stops receiving the job's events.
    func unbind(jobUUID: UUID) async throws
}
