import Foundation

/// Wakes the outbox relay when a row was committed, so a launch is published at once rather than at the
/// next poll. A signal sent while nobody waits is remembered (once).
actor OutboxSignal {
    private var pending = false
    private var waiters: [UUID: CheckedContinuation<Void, Never>] = [:]

    init() {}

    func notify() {
        if waiters.isEmpty {
            pending = true
            return
        }
        let all = waiters
        waiters = [:]
        for continuation in all.values { continuation.resume() }
    }

    /// Returns at the next signal (or at once if one is pending), after `timeout`, or on cancellation.
    func wait(timeout: Duration) async {
        if pending {
            pending = false
            return
        }
        let id = UUID()
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                waiters[id] = continuation
                Task { [weak self] in
                    try? await Task.sleep(for: timeout)
                    await self?.resume(id)
                }
            }
        } onCancel: {
            Task { [weak self] in await self?.resume(id) }
        }
        if Task.isCancelled { return }
    }

    private func resume(_ id: UUID) {
        waiters.removeValue(forKey: id)?.resume()
    }
}
