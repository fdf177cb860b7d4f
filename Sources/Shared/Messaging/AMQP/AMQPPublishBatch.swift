/// The messages of one `publish` call and the caller waiting for their confirms.
///
/// `@unchecked Sendable`: created by the caller, then handed to the connection's thread, which alone reads
/// and writes `remaining`, `failure` and `continuation` from then on.
final class AMQPPublishBatch: @unchecked Sendable {
    let messages: [OutgoingMessage]
    var remaining: Int
    var failure: MessagingError?
    private var continuation: CheckedContinuation<Void, any Error>?

    init(messages: [OutgoingMessage], continuation: CheckedContinuation<Void, any Error>) {
        self.messages = messages
        self.remaining = messages.count
        self.continuation = continuation
    }

    var isFinished: Bool { continuation == nil }

    /// One message is settled: confirmed, or failed with `error`.
    func settle(failure error: MessagingError? = nil) {
        if let error, failure == nil { failure = error }
        remaining -= 1
        if remaining <= 0 { finish() }
    }

    /// Resumes the caller (with `failure` if any), once.
    func finish(_ error: MessagingError? = nil) {
        guard let continuation else { return }
        self.continuation = nil
        if let error = error ?? failure {
            continuation.resume(throwing: error)
        } else {
            continuation.resume()
        }
    }
}
