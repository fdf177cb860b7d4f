/// Work handed from async callers to the connection's thread.
enum AMQPCommand: Sendable {
    case publish(AMQPPublishBatch)
    case ack(AMQPAcknowledger, deliveryTag: UInt64, multiple: Bool)
    case nack(AMQPAcknowledger, deliveryTag: UInt64, requeue: Bool)
    case consume(AMQPConsumer, CheckedContinuation<Void, any Error>)
    case cancel(consumerID: Int)
    case stopConsuming(consumerID: Int)
    case bind(consumerID: Int, key: String, CheckedContinuation<Void, any Error>)
    case unbind(consumerID: Int, key: String, CheckedContinuation<Void, any Error>)
    case declare(AMQPTopology, CheckedContinuation<Void, any Error>)
    case shutdown(timeout: Duration, CheckedContinuation<Void, Never>)
}

extension AMQPCommand {
    var isSettlement: Bool {
        switch self {
        case .ack, .nack: return true
        default: return false
        }
    }
}
