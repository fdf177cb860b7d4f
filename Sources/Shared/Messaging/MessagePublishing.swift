/// A message to publish: always persistent and mandatory.
public struct OutgoingMessage: Sendable, Equatable {
    public var exchange: String
    public var routingKey: String
    public var body: [UInt8]
    /// Deterministic id (`job/<uuid>`, `job/<uuid>/shard/<i>`, …): consumers use it to spot duplicates.
    public var messageID: String
    public var contentType: String
    public var headers: [String: String]

    public init(
        exchange: String, routingKey: String, body: [UInt8], messageID: String, contentType: String = "application/json",
        headers: [String: String] = [:]
    ) {
        self.exchange = exchange
        self.routingKey = routingKey
        self.body = body
        self.messageID = messageID
        self.contentType = contentType
        self.headers = headers
    }
}

/// Publishes with publisher confirms.
public protocol MessagePublishing: Sendable {
    /// Publishes every message (persistent, mandatory) and returns once the broker confirmed all of them.
    /// Messages nacked by the broker or in flight when the connection dropped are re-sent; an unroutable
    /// message throws `MessagingError.unroutable`. Cancelling the calling task abandons the publish
    /// (`MessagingError.abandoned`): nothing of it is sent or re-sent afterwards.
    func publish(_ messages: [OutgoingMessage]) async throws

    /// Publishes every message, in order, and reports each one's outcome: nil once the broker confirmed it,
    /// else why not. One failed message does not fail the others. Cancelling the calling task abandons what
    /// is not confirmed yet (`MessagingError.abandoned`): it is not sent, nor re-sent after a reconnection.
    func publishEach(_ messages: [OutgoingMessage]) async -> [MessagingError?]
}

extension MessagePublishing {
    public func publish(_ message: OutgoingMessage) async throws {
        try await publish([message])
    }

    /// One `publish` per message, in order.
    public func publishEach(_ messages: [OutgoingMessage]) async -> [MessagingError?] {
        var outcomes: [MessagingError?] = []
        outcomes.reserveCapacity(messages.count)
        for message in messages {
            if Task.isCancelled {
                outcomes.append(.abandoned)
                continue
            }
            do {
                try await publish(message)
                outcomes.append(nil)
            } catch let error as MessagingError {
                outcomes.append(error)
            } catch is CancellationError {
                outcomes.append(.abandoned)
            } catch {
                outcomes.append(.broker("\(error)"))
            }
        }
        return outcomes
    }
}

/// Errors of the messaging layer.
public enum MessagingError: Error, Equatable, CustomStringConvertible {
    /// The broker returned a mandatory message: no queue is bound for its routing key.
    case unroutable(exchange: String, routingKey: String, messageID: String)
    /// The channel a delivery came on is gone; its message will be redelivered, so it must not be acked.
    case channelClosed
    /// The client was shut down.
    case shutdown
    /// The caller gave the publish up (its task was cancelled): what was not sent yet is never sent, and no
    /// message of it is re-sent after a reconnection; what was already sent may or may not have arrived.
    case abandoned
    /// Anything else the broker or library reported.
    case broker(String)

    public var description: String {
        switch self {
        case .unroutable(let exchange, let routingKey, let messageID):
            return "unroutable message \(messageID) to exchange '\(exchange)' with routing key '\(routingKey)'"
        case .channelClosed: return "the channel of this delivery is closed"
        case .shutdown: return "the AMQP client is shut down"
        case .abandoned: return "the publish was abandoned by its caller"
        case .broker(let message): return "AMQP: \(message)"
        }
    }
}
