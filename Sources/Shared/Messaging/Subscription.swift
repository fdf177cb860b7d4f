/// An exclusive, auto-deleted, server-named queue bound to one exchange with a set of binding keys that can
/// change while it is consumed. The queue lives as long as the subscription (and its connection); after a
/// reconnection it is re-created with the current bindings and its deliveries continue on the same stream.
public struct Subscription: Sendable {
    /// Deliveries of the queue; ends when the subscription is cancelled or the client shuts down.
    public let deliveries: AsyncThrowingStream<Delivery, any Error>
    private let control: any SubscriptionControlling

    public init(deliveries: AsyncThrowingStream<Delivery, any Error>, control: any SubscriptionControlling) {
        self.deliveries = deliveries
        self.control = control
    }

    /// Adds a binding key (no-op when already bound).
    public func bind(_ key: String) async throws { try await control.bind(key) }
    /// Removes a binding key (no-op when not bound).
    public func unbind(_ key: String) async throws { try await control.unbind(key) }
    /// Deletes the queue and ends `deliveries`.
    public func cancel() { control.cancel() }
}

/// Changes the bindings of a `Subscription`'s queue.
public protocol SubscriptionControlling: Sendable {
    func bind(_ key: String) async throws
    func unbind(_ key: String) async throws
    func cancel()
}

/// Creates live, exclusive queues bound to an exchange (fan-out of events, control messages).
public protocol MessageSubscribing: Sendable {
    /// - Parameters:
    ///   - exchange: the exchange to bind to; for a fanout exchange use the binding key `""`.
    ///   - bindingKeys: the initial binding keys.
    ///   - autoAck: the broker forgets each message as it sends it; otherwise ack each `Delivery`.
    ///   - prefetch: unacknowledged deliveries at most (ignored with `autoAck`).
    func subscribe(exchange: String, bindingKeys: Set<String>, autoAck: Bool, prefetch: Int) async throws -> Subscription
}
