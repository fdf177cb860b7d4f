/// A consumer of a named queue that can stop taking messages on its own, before the connection closes.
public struct QueueConsumer: Sendable {
    /// Deliveries of the queue (as `MessageConsuming.consume` gives them); ends after `stopConsuming()`
    /// once every delivery the broker sent before it is handed over, or when the client shuts down.
    public let deliveries: AsyncThrowingStream<Delivery, any Error>
    private let stop: @Sendable () -> Void

    public init(deliveries: AsyncThrowingStream<Delivery, any Error>, stop: @escaping @Sendable () -> Void) {
        self.deliveries = deliveries
        self.stop = stop
    }

    /// Cancels the consumer at the broker (`basic.cancel`): nothing more is delivered to it, and the channel
    /// stays open so that what it already received can still be acked, or nacked back to the queue once
    /// (a requeued message then goes to other consumers). Returns at once.
    public func stopConsuming() { stop() }
}
