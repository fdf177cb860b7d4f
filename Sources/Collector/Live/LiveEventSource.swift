import Foundation
import Shared

/// Where this collector's live events come from: a queue of its own, bound to `pansible.events` for each
/// job its subscribers watch (`job.<uuid>.#`), fed as events are published, whichever collector stores them.
protocol LiveEventSource: Sendable {
    /// The event messages (bodies, as published) of every bound job, in publication order. Called once.
    func messages() async throws -> AsyncThrowingStream<[UInt8], any Error>
    /// Starts receiving the job's events; returns once the binding is in place.
    func bind(jobUUID: UUID) async throws
    /// Stops receiving the job's events.
    func unbind(jobUUID: UUID) async throws
}
