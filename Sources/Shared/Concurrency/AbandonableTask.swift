import NIOConcurrencyHelpers

/// Work that the caller can walk away from.
///
/// Some awaits never end and ignore cancellation (a postgres-nio statement whose connection the server closed,
/// a publish the broker never confirms). Awaited directly, they would pin their caller forever. `run` starts the
/// work in a task of its own, beside a watch; whichever finishes first decides the result. When the watch does,
/// the work is cancelled and left to end whenever it can; its result is dropped.
public enum AbandonableTask {
    /// Returns what `work` returns or throws, unless `watch` returns an error first, which is thrown instead.
    ///
    /// `watch` runs until it returns; it is cancelled once `work` has finished, and should then return nil.
    public static func run<Value: Sendable>(
        _ work: @escaping @Sendable () async throws -> Value,
        abandoningWhen watch: @escaping @Sendable () async -> (any Error)?
    ) async throws -> Value {
        let outcome = Outcome<Value>()
        let worker = Task {
            do {
                outcome.finish(.success(try await work()))
            } catch {
                outcome.finish(.failure(error))
            }
        }
        let watcher = Task {
            guard let error = await watch() else { return }
            if outcome.finish(.failure(error)) { worker.cancel() }
        }
        defer { watcher.cancel() }
        return try await withTaskCancellationHandler {
            try await outcome.value()
        } onCancel: {
            worker.cancel()
        }
    }

    /// Returns what `work` returns or throws, or throws `error()` once `timeout` has passed.
    public static func run<Value: Sendable>(
        _ work: @escaping @Sendable () async throws -> Value,
        timeout: Duration,
        error: @escaping @Sendable () -> any Error
    ) async throws -> Value {
        try await run(work) {
            do {
                try await Task.sleep(for: timeout)
                return error()
            } catch {
                return nil
            }
        }
    }
}

/// The first result handed to `finish`, delivered to whoever awaits `value()`, before or after it arrives.
private final class Outcome<Value: Sendable>: Sendable {
    private enum State {
        case waiting(CheckedContinuation<Value, any Error>?)
        case finished(Result<Value, any Error>)
        case delivered
    }

    private let state = NIOLockedValueBox(State.waiting(nil))

    /// Records the result unless one was recorded already; returns whether this call did.
    @discardableResult
    func finish(_ result: Result<Value, any Error>) -> Bool {
        let (first, continuation): (Bool, CheckedContinuation<Value, any Error>?) = state.withLockedValue { state in
            switch state {
            case .waiting(let continuation?):
                state = .delivered
                return (true, continuation)
            case .waiting(nil):
                state = .finished(result)
                return (true, nil)
            case .finished, .delivered:
                return (false, nil)
            }
        }
        continuation?.resume(with: result)
        return first
    }

    func value() async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            let ready: Result<Value, any Error>? = state.withLockedValue { state in
                switch state {
                case .waiting:
                    state = .waiting(continuation)
                    return nil
                case .finished(let result):
                    state = .delivered
                    return result
                case .delivered:
                    preconditionFailure("an outcome is awaited once")
                }
            }
            if let ready { continuation.resume(with: ready) }
        }
    }
}
