import NIOConcurrencyHelpers
import PostgresNIO

/// Thrown in place of a result when the connection closed under work that never returned.
struct ConnectionLostError: Error, CustomStringConvertible {
    var description: String { "the database connection closed while work on it was still waiting" }
}

extension PostgresConnection {
    /// Runs `work` on this connection and fails with `ConnectionLostError` when the connection has closed and
    /// `work` has still not returned `grace` later.
    ///
    /// When the server goes away in the middle of a statement (stopped or restarted while the statement waits on a
    /// row lock, for one), postgres-nio can leave the statement's row sequence waiting forever, and cancelling that
    /// wait does nothing. A caller awaiting it directly would neither retry nor shut down. So `work` runs in a task
    /// of its own that the caller can walk away from: its connection is closed, so it holds no lease the pool still
    /// counts, and since nothing is acknowledged before `work` returns, the broker redelivers what it was writing.
    func failingWhenClosed<Value: Sendable>(
        poll: Duration = .milliseconds(250),
        grace: Duration = .seconds(2),
        _ work: @escaping @Sendable (PostgresConnection) async throws -> Value
    ) async throws -> Value {
        let outcome = Outcome<Value>()
        let worker = Task {
            do {
                outcome.finish(.success(try await work(self)))
            } catch {
                outcome.finish(.failure(error))
            }
        }
        let watcher = Task {
            var closedSince: ContinuousClock.Instant?
            while !Task.isCancelled {
                try? await Task.sleep(for: poll)
                guard !Task.isCancelled, self.isClosed else { continue }
                let since = closedSince ?? .now
                closedSince = since
                if since.duration(to: .now) >= grace {
                    outcome.finish(.failure(ConnectionLostError()))
                    worker.cancel()
                    return
                }
            }
        }
        defer { watcher.cancel() }
        return try await withTaskCancellationHandler {
            try await outcome.value()
        } onCancel: {
            worker.cancel()
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

    func finish(_ result: Result<Value, any Error>) {
        let continuation: CheckedContinuation<Value, any Error>? = state.withLockedValue { state in
            switch state {
            case .waiting(let continuation?):
                state = .delivered
                return continuation
            case .waiting(nil):
                state = .finished(result)
                return nil
            case .finished, .delivered:
                return nil
            }
        }
        continuation?.resume(with: result)
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
