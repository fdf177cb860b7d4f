import NIOConcurrencyHelpers

/// The messages of one `publish` call and the caller waiting for their confirms.
///
/// `@unchecked Sendable`: created by the caller, then handed to the connection's thread, which alone reads
/// and writes `remaining` and `failure` from then on. The caller's continuation sits behind a lock, because a
/// publish cancelled by its caller is finished from the caller's side while the thread still holds the batch.
final class AMQPPublishBatch: @unchecked Sendable {
    private enum State {
        /// Not finished; the continuation once attached.
        case waiting(CheckedContinuation<Void, any Error>?)
        /// Finished before the continuation was attached.
        case finishedEarly(MessagingError?)
        case finished
    }

    let messages: [OutgoingMessage]
    var remaining: Int
    var failure: MessagingError?
    private let state: NIOLockedValueBox<State>
    /// Each settled message's failure (nil: confirmed), by index; read by the caller.
    private let settled = NIOLockedValueBox<[Int: MessagingError?]>([:])

    init(messages: [OutgoingMessage], continuation: CheckedContinuation<Void, any Error>? = nil) {
        self.messages = messages
        self.remaining = messages.count
        self.state = NIOLockedValueBox(.waiting(continuation))
    }

    /// Whether the caller has its answer: a finished batch is not sent (again), not even after a reconnection.
    var isFinished: Bool {
        state.withLockedValue { state in
            if case .waiting = state { return false }
            return true
        }
    }

    /// Hands the caller's continuation over; resumes it at once when the batch finished first.
    func attach(_ continuation: CheckedContinuation<Void, any Error>) {
        let early: MessagingError?? = state.withLockedValue { state in
            switch state {
            case .waiting:
                state = .waiting(continuation)
                return .none
            case .finishedEarly(let error):
                state = .finished
                return .some(error)
            case .finished:
                return .some(nil)
            }
        }
        guard let early else { return }
        if let error = early { continuation.resume(throwing: error) } else { continuation.resume() }
    }

    /// Message `index` is settled: confirmed, or failed with `error`.
    func settle(index: Int, failure error: MessagingError? = nil) {
        settled.withLockedValue { $0[index] = .some(error) }
        if let error, failure == nil { failure = error }
        remaining -= 1
        if remaining <= 0 { finish() }
    }

    /// Resumes the caller (with `failure` if any), once.
    func finish(_ error: MessagingError? = nil) {
        resume(error ?? failure)
    }

    /// Gives the caller up on this batch: the messages not yet sent are not sent, none is re-sent after a
    /// reconnection, and the caller gets `MessagingError.abandoned`. Safe from any thread.
    func abandon() {
        resume(.abandoned)
    }

    /// Each message's outcome so far: nil once confirmed, its failure, or `unsettled` for a message that was
    /// not confirmed (yet).
    func outcomes(unsettled: MessagingError) -> [MessagingError?] {
        let settled = self.settled.withLockedValue { $0 }
        return messages.indices.map { index in settled[index] ?? unsettled }
    }

    private func resume(_ error: MessagingError?) {
        let continuation: CheckedContinuation<Void, any Error>? = state.withLockedValue { state in
            switch state {
            case .waiting(let continuation?):
                state = .finished
                return continuation
            case .waiting(nil):
                state = .finishedEarly(error)
                return nil
            case .finishedEarly, .finished:
                return nil
            }
        }
        guard let continuation else { return }
        if let error { continuation.resume(throwing: error) } else { continuation.resume() }
    }
}
