import NIOConcurrencyHelpers

/// Fires once; whoever waits, before or after, is resumed. A waiter whose task is cancelled is resumed with
/// `CancellationError`.
final class LedgerSignal: Sendable {
    private enum State {
        case waiting([Int: CheckedContinuation<Void, any Error>])
        case fired
    }

    private let state = NIOLockedValueBox(State.waiting([:]))
    private let nextWaiter = NIOLockedValueBox(0)

    func fire() {
        let waiters: [CheckedContinuation<Void, any Error>] = state.withLockedValue { state in
            guard case .waiting(let waiters) = state else { return [] }
            state = .fired
            return Array(waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    func wait() async throws {
        let id = nextWaiter.withLockedValue { value in
            value += 1
            return value
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let outcome: Result<Void, any Error>? = state.withLockedValue { state in
                    guard case .waiting(var waiters) = state else { return .success(()) }
                    if Task.isCancelled { return .failure(CancellationError()) }
                    waiters[id] = continuation
                    state = .waiting(waiters)
                    return nil
                }
                if let outcome { continuation.resume(with: outcome) }
            }
        } onCancel: {
            let waiter: CheckedContinuation<Void, any Error>? = state.withLockedValue { state in
                guard case .waiting(var waiters) = state, let waiter = waiters.removeValue(forKey: id) else { return nil }
                state = .waiting(waiters)
                return waiter
            }
            waiter?.resume(throwing: CancellationError())
        }
    }
}
