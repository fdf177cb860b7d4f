import Foundation
import Logging
import Shared

/// This collector's live subscribers by job, and the bindings of its live queue.
///
/// A job's binding exists while it has subscribers. Bindings change one at a time (`bindingBusy`), and
/// each change re-reads who is subscribed, so a subscribe racing an unsubscribe never leaves a watched job
/// unbound.
actor ProgressHub {
    private let source: any LiveEventSource
    private let buffer: Int
    private let metrics: CollectorMetrics
    private let logger: Logger
    private var subscribers: [UUID: [UUID: ProgressSubscription]] = [:]
    private var bound: Set<UUID> = []
    private var bindingBusy = false
    private var bindingWaiters: [CheckedContinuation<Void, Never>] = []

    init(source: any LiveEventSource, buffer: Int, metrics: CollectorMetrics, logger: Logger) {
        self.source = source
        self.buffer = buffer
        self.metrics = metrics
        self.logger = logger
    }

    /// Registers a subscriber and returns once the job's live events are bound: from then on every event
    /// published for the job reaches the subscription.
    func subscribe(jobUUID: UUID) async throws -> ProgressSubscription {
        let subscription = ProgressSubscription(jobUUID: jobUUID, buffer: buffer)
        subscribers[jobUUID, default: [:]][subscription.id] = subscription
        metrics.subscribers.increment()
        await lockBindings()
        defer { unlockBindings() }
        if !bound.contains(jobUUID) {
            do {
                try await source.bind(jobUUID: jobUUID)
                bound.insert(jobUUID)
            } catch {
                remove(subscription)
                throw error
            }
        }
        return subscription
    }

    func unsubscribe(_ subscription: ProgressSubscription) async {
        subscription.finish()
        guard remove(subscription) else { return }
        let job = subscription.jobUUID
        await lockBindings()
        defer { unlockBindings() }
        if subscribers[job] == nil, bound.contains(job) {
            do {
                try await source.unbind(jobUUID: job)
            } catch {
                logger.warning("could not unbind a job from the live queue", metadata: ["job.uuid": "\(job)", "error": "\(error)"])
            }
            bound.remove(job)
        }
    }

    func hasSubscribers(jobUUID: UUID) -> Bool {
        subscribers[jobUUID] != nil
    }

    /// Hands rendered live events to the job's subscribers; never waits on them.
    func deliver(jobUUID: UUID, events: [LiveEvent]) {
        guard let watching = subscribers[jobUUID] else { return }
        for subscription in watching.values {
            for event in events where !subscription.send(.event(event)) {
                lagged(subscription)
                break
            }
        }
    }

    /// Tells the jobs' subscribers to look at the stored status.
    func statusMayHaveChanged(jobs: some Sequence<UUID>) {
        for job in jobs {
            for subscription in subscribers[job]?.values ?? [:].values where !subscription.send(.checkStatus) {
                lagged(subscription)
            }
        }
    }

    /// Every subscribed job, for periodic status checks.
    var watchedJobs: [UUID] { Array(subscribers.keys) }

    private func lagged(_ subscription: ProgressSubscription) {
        guard subscription.takeLagNotice() else { return }
        metrics.laggingSubscribers.increment()
        logger.notice("progress subscriber fell behind; disconnecting it", metadata: ["job.uuid": "\(subscription.jobUUID)"])
    }

    @discardableResult
    private func remove(_ subscription: ProgressSubscription) -> Bool {
        guard subscribers[subscription.jobUUID]?.removeValue(forKey: subscription.id) != nil else { return false }
        if subscribers[subscription.jobUUID]?.isEmpty == true { subscribers[subscription.jobUUID] = nil }
        metrics.subscribers.decrement()
        return true
    }

    private func lockBindings() async {
        while bindingBusy {
            await withCheckedContinuation { bindingWaiters.append($0) }
        }
        bindingBusy = true
    }

    private func unlockBindings() {
        bindingBusy = false
        if !bindingWaiters.isEmpty { bindingWaiters.removeFirst().resume() }
    }
}
