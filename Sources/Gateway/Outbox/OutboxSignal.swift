import Foundation

/// Wakes the outbox relay when a row was committed, so a launch is published at once rather than at the
/// next poll. A signal sent while nobody waits is remembered (once).
actor OutboxSignal {
    private var pending = false
    private var waiters: [UUID: CheckedContinuation<Bool, Never>] = [:]

    init() {}

    func notify() {
        if waiters.isEmpty {
            pending = true
            return
        }
        let all = waiters
        waiters = [:]
        for continuation in all.values { continuation.resume(returning: true) }
    }

    /// Returns at the next signal (or at once if one is pending), after `timeout`, or on cancellation; true
    /// when a signal woke it.
    @discardableResult
    func wait(timeout: Duration) async -> Bool {
        if pending {
            pending = false
            return true
        }
        let id = UUID()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                waiters[id] = continuation
                Task { [weak self] in
                    try? await Task.sleep(for: timeout)
                    await self?.resume(id, signaled: false)
                }
            }
        } onCancel: {
            Task { [weak self] in await self?.resume(id, signaled: false) }
        }
    }

    private func resume(_ id: UUID, signaled: Bool) {
        waiters.removeValue(forKey: id)?.resume(returning: signaled)
    }
}
