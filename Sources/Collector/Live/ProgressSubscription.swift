import Foundation
import NIOConcurrencyHelpers

/// A live event, already rendered as its progress message.
struct LiveEvent: Sendable {
    var id: String
    var text: String
}

/// One WebSocket subscriber's bounded queue of live signals.
///
/// The hub only ever appends (never waits), so a slow subscriber cannot slow ingestion or the others; when
/// the queue is full the subscription is marked lagging and ends.
final class ProgressSubscription: Sendable {
    enum Signal: Sendable {
        case event(LiveEvent)
        /// The job's stored status may have changed.
        case checkStatus
    }

    let id = UUID()
    let jobUUID: UUID
    let signals: AsyncStream<Signal>
    private let continuation: AsyncStream<Signal>.Continuation
    private let laggingState = NIOLockedValueBox(false)

    init(jobUUID: UUID, buffer: Int) {
        self.jobUUID = jobUUID
        (signals, continuation) = AsyncStream.makeStream(of: Signal.self, bufferingPolicy: .bufferingOldest(buffer))
    }

    var isLagging: Bool { laggingState.withLockedValue { $0 } }

    /// Appends a signal; returns false when the subscriber fell too far behind (it is then finished).
    @discardableResult
    func send(_ signal: Signal) -> Bool {
        switch continuation.yield(signal) {
        case .dropped:
            laggingState.withLockedValue { $0 = true }
            continuation.finish()
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
    }
}
