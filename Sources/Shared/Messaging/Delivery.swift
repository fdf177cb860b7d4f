/// A consumed message. Ack, nack or reject it exactly once, after its effect is durable.
public struct Delivery: Sendable {
    public var body: [UInt8]
    public var messageID: String?
    public var exchange: String
    public var routingKey: String
    public var deliveryTag: UInt64
    /// Deliveries of this message before this one (quorum queues' `x-delivery-count`; 0 the first time).
    public var deliveryCount: Int
    public var redelivered: Bool
    public var headers: [String: String]
    /// Settles this delivery on the channel it came from; throws `MessagingError.channelClosed` when that
    /// channel is gone (the broker will redeliver).
    public var acknowledger: any DeliveryAcknowledging

    public init(
        body: [UInt8], messageID: String?, exchange: String, routingKey: String, deliveryTag: UInt64, deliveryCount: Int,
        redelivered: Bool, headers: [String: String], acknowledger: any DeliveryAcknowledging
    ) {
        self.body = body
        self.messageID = messageID
        self.exchange = exchange
        self.routingKey = routingKey
        self.deliveryTag = deliveryTag
        self.deliveryCount = deliveryCount
        self.redelivered = redelivered
        self.headers = headers
        self.acknowledger = acknowledger
    }

    public func ack() async throws { try await acknowledger.ack(self, multiple: false) }
    /// Acks this and every earlier unsettled delivery of the same consumer.
    public func ackMultiple() async throws { try await acknowledger.ack(self, multiple: true) }
    /// Hands the message back; with `requeue` false it is dead-lettered.
    public func nack(requeue: Bool) async throws { try await acknowledger.nack(self, requeue: requeue) }
    /// Refuses the message for good: it is dead-lettered.
    public func reject() async throws { try await acknowledger.nack(self, requeue: false) }
}

/// Settles deliveries on the channel that received them.
public protocol DeliveryAcknowledging: Sendable {
    func ack(_ delivery: Delivery, multiple: Bool) async throws
    func nack(_ delivery: Delivery, requeue: Bool) async throws
}

/// Consumes a queue.
public protocol MessageConsuming: Sendable {
    /// Deliveries of `queue` with at most `prefetch` unacknowledged. The stream survives reconnections
    /// (the consumer is restarted on the new channel) and ends when the client shuts down. Cancelling the
    /// task that iterates it cancels the consumer (unacknowledged messages go back to the queue); merely
    /// leaving the loop does not. Throws when the broker refuses the consumer (e.g. no such queue).
    func consume(queue: String, prefetch: Int) async throws -> AsyncThrowingStream<Delivery, any Error>
}
