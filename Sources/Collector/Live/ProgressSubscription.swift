import Foundation
import NIOConcurrencyHelpers

/// A live event, already rendered as its progress message.
struct LiveEvent: Sendable {
    var id: String
    /// The run and Ansible's counter in it, which identify the event for `SentEvents`.
    var runID: UUID?
    var counter: Int?
    var text: String
}

/// One WebSocket subscriber's bounded queue of live signals.
///
/// The hub only ever appends (never waits), so a slow subscriber cannot slow ingestion or the others; when
/// the queue is full the subscription is marked lagging and ends, and `lagged` tells the session at once,
/// even while it is stuck writing to a socket nobody reads.
final class ProgressSubscription: Sendable {
    enum Signal: Sendable {
        case event(LiveEvent)
        /// The job's stored status may have changed.
        case checkStatus
    }

    let id = UUID()
    let jobUUID: UUID
    let signals: AsyncStream<Signal>
    /// Yields once when the subscription falls behind; finishes with the subscription.
    let lagged: AsyncStream<Void>
    private let continuation: AsyncStream<Signal>.Continuation
    private let laggedContinuation: AsyncStream<Void>.Continuation
    private let laggingState = NIOLockedValueBox(false)
    /// Every event ever queued here, so a catch-up read can tell the events the live path never had.
    private let queued = NIOLockedValueBox(SentEvents())
    private let lagNoticed = NIOLockedValueBox(false)

    init(jobUUID: UUID, buffer: Int) {
        self.jobUUID = jobUUID
        (signals, continuation) = AsyncStream.makeStream(of: Signal.self, bufferingPolicy: .bufferingOldest(buffer))
        (lagged, laggedContinuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingOldest(1))
    }

    var isLagging: Bool { laggingState.withLockedValue { $0 } }

    /// True the first time it is asked after the subscription fell behind, so it is counted once.
    func takeLagNotice() -> Bool {
        guard isLagging else { return false }
        return lagNoticed.withLockedValue { noticed in
            defer { noticed = true }
            return !noticed
        }
    }

    /// True when the live path queued this event here (it may not be sent yet).
    func hasQueued(id: String, runID: UUID?, counter: Int?) -> Bool {
        queued.withLockedValue { $0.contains(id: id, runID: runID, counter: counter) }
    }

    /// Appends a signal; returns false when the subscriber fell too far behind (it is then finished).
    @discardableResult
    func send(_ signal: Signal) -> Bool {
        if case .event(let event) = signal {
            // Recorded before it can be read, so a catch-up never takes a queued event for a missing one.
            queued.withLockedValue { _ = $0.insert(id: event.id, runID: event.runID, counter: event.counter) }
        }
        switch continuation.yield(signal) {
        case .dropped:
            laggingState.withLockedValue { $0 = true }
            continuation.finish()
            laggedContinuation.yield()
            laggedContinuation.finish()
            return false
        case .terminated:
            return false
        case .enqueued:
            return true
        @unknown default:
            return true
        }
    }

    func finish() {
        continuation.finish()
        laggedContinuation.finish()
    }
}
