/// A consumer the connection's thread keeps alive across reconnections: a named queue, or an exclusive
/// server-named queue bound to an exchange.
///
/// `@unchecked Sendable`: created by the caller and handed to the connection's thread, which alone reads and
/// writes the mutable fields from then on; the `let`s are immutable and `continuation` is itself Sendable.
final class AMQPConsumer: @unchecked Sendable {
    enum Source {
        case queue(String)
        case bound(exchange: String)
    }

    let id: Int
    let source: Source
    let prefetch: Int
    let autoAck: Bool
    /// `basic.consume` arguments (a stream's `x-stream-offset`).
    let arguments: [AMQPArgument]
    let continuation: AsyncThrowingStream<Delivery, any Error>.Continuation

    // Owned by the connection's thread.
    var bindingKeys: Set<String>
    var channel: UInt16 = 0
    var queueName = ""
    var acknowledger: AMQPAcknowledger?
    /// The broker's tag for the consumer on its current channel.
    var consumerTag = ""
    /// Cancelled at the broker (`basic.cancel`) while its channel stays open for settling what it received;
    /// never restarted.
    var isStopped = false
    var partial: AMQPPartialMessage?
    /// Delivery tags below this one are all settled (tags count from 1 on each channel).
    var nextUnsettled: UInt64 = 1
    /// Settled tags above `nextUnsettled`.
    var settledAbove: Set<UInt64> = []
    /// Acked by the application, not yet sent.
    var pendingAcks: [UInt64] = []
    /// The `consume`/`subscribe` caller, while it waits for the first start.
    var startContinuation: CheckedContinuation<Void, any Error>?

    /// Resumes the caller waiting for the first start, once.
    func started(_ error: (any Error)? = nil) {
        guard let continuation = startContinuation else { return }
        startContinuation = nil
        if let error { continuation.resume(throwing: error) } else { continuation.resume() }
    }

    init(
        id: Int, source: Source, bindingKeys: Set<String>, prefetch: Int, autoAck: Bool, arguments: [AMQPArgument] = [],
        continuation: AsyncThrowingStream<Delivery, any Error>.Continuation
    ) {
        self.arguments = arguments
        self.id = id
        self.source = source
        self.bindingKeys = bindingKeys
        self.prefetch = prefetch
        self.autoAck = autoAck
        self.continuation = continuation
    }

    var isActive: Bool { channel != 0 }
}

/// A delivered or returned message whose content frames are still arriving.
struct AMQPPartialMessage {
    var deliveryTag: UInt64 = 0
    var redelivered = false
    var exchange = ""
    var routingKey = ""
    var replyCode: UInt16 = 0
    var messageID: String?
    var headers: [String: String] = [:]
    var bodySize = 0
    var haveHeader = false
    var body: [UInt8] = []

    var isComplete: Bool { haveHeader && body.count >= bodySize }
}
