import Foundation
import Shared

/// Gathers decoded deliveries into write batches: a batch closes when it holds `maxEvents` events, or
/// `interval` after its oldest message arrived.
///
/// The consumer side (`add`) and the writer side (`nextBatch`) run concurrently, so messages keep arriving
/// (up to the prefetch) while a batch is being written.
actor DeliveryBatcher {
    /// A delivery with its decoded content, or the reason it can never be stored.
    struct Item: Sendable {
        var delivery: Delivery
        var content: Result<IncomingBatch, PoisonMessage>
        var arrived: ContinuousClock.Instant

        var eventCount: Int {
            if case .success(let batch) = content { return max(batch.eventCount, 1) }
            return 1
        }
    }

    private let maxEvents: Int
    private let interval: Duration
    private var pending: [Item] = []
    private var pendingEvents = 0
    private var ended = false
    private var waiter: CheckedContinuation<Void, Never>?

    init(maxEvents: Int, interval: Duration) {
        self.maxEvents = maxEvents
        self.interval = interval
    }

    /// True once `finish` was called: the writer drains what it holds and stops.
    var isFinished: Bool { ended }

    /// Adds an item; after `finish`, items are left unsettled for the broker to redeliver.
    func add(_ item: Item) {
        guard !ended else { return }
        pending.append(item)
        pendingEvents += item.eventCount
        if pendingEvents >= maxEvents || pending.count == 1 { wake() }
    }

    /// No more items will come.
    func finish() {
        ended = true
        wake()
    }

    /// The next batch (at least one item), or nil once finished and drained.
    func nextBatch() async -> [Item]? {
        while pending.isEmpty {
            if ended || Task.isCancelled { return nil }
            await wait(until: nil)
        }
        let deadline = pending[0].arrived + interval
        while pendingEvents < maxEvents, !ended, !Task.isCancelled, ContinuousClock.now < deadline {
            await wait(until: deadline)
        }
        var taken = 0
        var events = 0
        while taken < pending.count, taken == 0 || events + pending[taken].eventCount <= maxEvents {
            events += pending[taken].eventCount
            taken += 1
        }
        let batch = Array(pending.prefix(taken))
        pending.removeFirst(taken)
        pendingEvents -= events
        return batch
    }

    private func wait(until deadline: ContinuousClock.Instant?) async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                guard !Task.isCancelled else { return continuation.resume() }
                waiter = continuation
                if let deadline {
                    Task { [weak self] in
                        try? await Task.sleep(until: deadline, clock: .continuous)
                        await self?.wake()
                    }
                }
            }
        } onCancel: {
            Task { await self.wake() }
        }
    }

    private func wake() {
        let continuation = waiter
        waiter = nil
        continuation?.resume()
    }
}
