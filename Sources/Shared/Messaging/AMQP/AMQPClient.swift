import Foundation
import Logging
import ServiceLifecycle

/// A RabbitMQ client on rabbitmq-c: publishes with confirms, consumes with manual acknowledgements, keeps
/// exclusive subscription queues, and survives connection losses (reconnects, redeclares, restarts its
/// consumers and re-sends unconfirmed messages).
///
/// One dedicated thread owns the connection (`AMQPConnectionLoop`); these async methods only hand it
/// commands, so nothing here blocks the cooperative pool. The thread starts with the client. Run the client
/// as a `Service` (put it first in a `ServiceGroup`, so that it stops last) or call `shutdown()`.
public final class AMQPClient: MessagePublishing, MessageConsuming, MessageSubscribing, Service {
    private let mailbox: AMQPMailbox
    private let status: AMQPConnectionStatus
    private let consumerIDs = AMQPIDGenerator()
    /// How long a graceful shutdown waits for outstanding confirms.
    private let shutdownTimeout: Duration

    /// - Parameters:
    ///   - topology: declared at every (re)connection; `nil` declares `AMQPTopology.pansible` with the
    ///     `default` pool and the configuration's delivery limit.
    ///   - connectionName: shown by the broker for this connection.
    public init(
        configuration: AMQPConfiguration, topology: AMQPTopology? = nil, connectionName: String = "pansible",
        shutdownTimeout: Duration = .seconds(5), logger: Logger
    ) throws {
        let endpoint = try AMQPEndpoint(url: configuration.url)
        let mailbox = AMQPMailbox()
        let status = AMQPConnectionStatus()
        self.mailbox = mailbox
        self.status = status
        self.shutdownTimeout = shutdownTimeout
        let loop = AMQPConnectionLoop(
            configuration: configuration, endpoint: endpoint,
            topology: topology ?? .pansible(deliveryLimit: configuration.deliveryLimit, ledgerMaxAge: configuration.ledgerMaxAge),
            connectionName: connectionName,
            logger: logger, mailbox: mailbox, status: status)
        let thread = Thread { loop.run() }
        thread.name = "pansible-amqp"
        thread.start()
    }

    /// Whether the connection is open and set up (for `/readyz`).
    public var isConnected: Bool { status.isConnected }

    public func publish(_ messages: [OutgoingMessage]) async throws {
        guard !messages.isEmpty else { return }
        let mailbox = self.mailbox
        let batch = AMQPPublishBatch(messages: messages)
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                batch.attach(continuation)
                if !mailbox.push(.publish(batch)) { batch.finish(.shutdown) }
            }
        } onCancel: {
            batch.abandon()
        }
    }

    public func publishEach(_ messages: [OutgoingMessage]) async -> [MessagingError?] {
        guard !messages.isEmpty else { return [] }
        let mailbox = self.mailbox
        let batch = AMQPPublishBatch(messages: messages)
        var unsettled = MessagingError.abandoned
        do {
            try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                    batch.attach(continuation)
                    if !mailbox.push(.publish(batch)) { batch.finish(.shutdown) }
                }
            } onCancel: {
                batch.abandon()
            }
        } catch let error as MessagingError {
            unsettled = error
        } catch {
            unsettled = .broker("\(error)")
        }
        return batch.outcomes(unsettled: unsettled)
    }

    public func consume(queue: String, prefetch: Int) async throws -> AsyncThrowingStream<Delivery, any Error> {
        try await consume(queue: queue, prefetch: prefetch, arguments: [])
    }

    /// Deliveries of `queue`, like `consume(queue:prefetch:)`, with consumer arguments: a stream's
    /// `x-stream-offset` (`first`, `last`, `next`, an offset, or an interval such as `7D`). A consumer restarted
    /// after a reconnection starts again with the same arguments.
    public func consume(queue: String, prefetch: Int, arguments: [AMQPArgument]) async throws -> AsyncThrowingStream<Delivery, any Error> {
        try await startConsumer(source: .queue(queue), bindingKeys: [], prefetch: prefetch, autoAck: false, arguments: arguments).stream
    }

    /// Like `consume(queue:prefetch:)`, with a handle that stops taking messages while the deliveries already
    /// received can still be settled (for a graceful stop of a consumer whose work takes long).
    public func consumer(queue: String, prefetch: Int) async throws -> QueueConsumer {
        let (id, stream) = try await startConsumer(source: .queue(queue), bindingKeys: [], prefetch: prefetch, autoAck: false)
        let mailbox = self.mailbox
        return QueueConsumer(deliveries: stream) { _ = mailbox.push(.stopConsuming(consumerID: id)) }
    }

    public func subscribe(exchange: String, bindingKeys: Set<String>, autoAck: Bool, prefetch: Int) async throws -> Subscription {
        let (id, stream) = try await startConsumer(
            source: .bound(exchange: exchange), bindingKeys: bindingKeys, prefetch: prefetch, autoAck: autoAck)
        return Subscription(deliveries: stream, control: AMQPSubscriptionControl(consumerID: id, mailbox: mailbox))
    }

    /// Declares more exchanges, queues and bindings now and at every reconnection. Waits for a connection.
    public func declare(_ topology: AMQPTopology) async throws {
        let mailbox = self.mailbox
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            if !mailbox.push(.declare(topology, continuation)) { continuation.resume(throwing: MessagingError.shutdown) }
        }
    }

    /// Stops the consumers, waits up to `timeout` for outstanding confirms, closes the connection and ends
    /// the thread. Publishes still unconfirmed then throw `MessagingError.shutdown`.
    public func shutdown(timeout: Duration? = nil) async {
        let mailbox = self.mailbox
        let timeout = timeout ?? shutdownTimeout
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            if !mailbox.push(.shutdown(timeout: timeout, continuation)) { continuation.resume() }
        }
    }

    /// Runs until graceful shutdown (or cancellation), then shuts down.
    public func run() async throws {
        try? await gracefulShutdown()
        await shutdown()
    }

    private func startConsumer(
        source: AMQPConsumer.Source, bindingKeys: Set<String>, prefetch: Int, autoAck: Bool, arguments: [AMQPArgument] = []
    ) async throws -> (id: Int, stream: AsyncThrowingStream<Delivery, any Error>) {
        let id = consumerIDs.next()
        let mailbox = self.mailbox
        let (stream, continuation) = AsyncThrowingStream<Delivery, any Error>.makeStream()
        // Only an abandoned stream cancels the consumer: one the thread finished is already removed, or stopped
        // with its channel kept open for settlements.
        continuation.onTermination = { termination in
            if case .cancelled = termination { _ = mailbox.push(.cancel(consumerID: id)) }
        }
        let consumer = AMQPConsumer(
            id: id, source: source, bindingKeys: bindingKeys, prefetch: prefetch, autoAck: autoAck, arguments: arguments,
            continuation: continuation)
        try await withCheckedThrowingContinuation { (started: CheckedContinuation<Void, any Error>) in
            if !mailbox.push(.consume(consumer, started)) {
                continuation.finish()
                started.resume(throwing: MessagingError.shutdown)
            }
        }
        return (id, stream)
    }
}

/// Changes the bindings of one subscription through the connection's thread.
struct AMQPSubscriptionControl: SubscriptionControlling {
    let consumerID: Int
    let mailbox: AMQPMailbox

    func bind(_ key: String) async throws {
        try await change(key, add: true)
    }

    func unbind(_ key: String) async throws {
        try await change(key, add: false)
    }

    func cancel() {
        _ = mailbox.push(.cancel(consumerID: consumerID))
    }

    private func change(_ key: String, add: Bool) async throws {
        let (mailbox, id) = (self.mailbox, consumerID)
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let command: AMQPCommand =
                add ? .bind(consumerID: id, key: key, continuation) : .unbind(consumerID: id, key: key, continuation)
            if !mailbox.push(command) { continuation.resume(throwing: MessagingError.shutdown) }
        }
    }
}
