import Foundation

/// Settles deliveries of one consumer on one channel of one connection. When that channel or connection
/// dies, the thread closes this acknowledger: later acks throw `MessagingError.channelClosed` and are never
/// sent on a newer channel (the thread also drops acks whose acknowledger is no longer the consumer's current
/// one, which covers the race between the check here and the channel's death).
///
/// `@unchecked Sendable`: `open` is guarded by `lock`; every other field is immutable.
final class AMQPAcknowledger: DeliveryAcknowledging, @unchecked Sendable {
    let consumerID: Int
    let channel: UInt16
    /// The connection's generation: increases at every (re)connection; for logs.
    let generation: UInt64
    let autoAck: Bool
    private let mailbox: AMQPMailbox
    private let lock = NSLock()
    private var open = true

    init(consumerID: Int, channel: UInt16, generation: UInt64, autoAck: Bool, mailbox: AMQPMailbox) {
        self.consumerID = consumerID
        self.channel = channel
        self.generation = generation
        self.autoAck = autoAck
        self.mailbox = mailbox
    }

    var isOpen: Bool {
        lock.lock()
        defer { lock.unlock() }
        return open
    }

    func close() {
        lock.lock()
        open = false
        lock.unlock()
    }

    func ack(_ delivery: Delivery, multiple: Bool) async throws {
        guard isOpen else { throw MessagingError.channelClosed }
        if autoAck { return }
        guard mailbox.push(.ack(self, deliveryTag: delivery.deliveryTag, multiple: multiple)) else {
            throw MessagingError.channelClosed
        }
    }

    func nack(_ delivery: Delivery, requeue: Bool) async throws {
        guard isOpen else { throw MessagingError.channelClosed }
        if autoAck { return }
        guard mailbox.push(.nack(self, deliveryTag: delivery.deliveryTag, requeue: requeue)) else {
            throw MessagingError.channelClosed
        }
    }
}
