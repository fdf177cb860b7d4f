import CRabbitMQ

extension AMQPConnectionLoop {
    /// Sends the acks collected from the last batch of commands.
    func flushAcks() {
        guard !consumersWithAcks.isEmpty else { return }
        let waiting = consumersWithAcks
        consumersWithAcks.removeAll(keepingCapacity: true)
        for consumer in waiting { flushAcks(consumer) }
    }

    /// Sends a consumer's collected acks: one `multiple` ack for the run of settled tags that starts at the
    /// oldest unsettled one, single acks for the others.
    ///
    /// The `multiple` ack names the highest tag of the run that is acked now: the broker refuses a tag it
    /// has already settled ("unknown delivery tag") and closes the channel.
    func flushAcks(_ consumer: AMQPConsumer) {
        guard !consumer.pendingAcks.isEmpty else { return }
        let acked = consumer.pendingAcks
        consumer.pendingAcks.removeAll(keepingCapacity: true)
        guard consumer.isActive, connection != nil else { return }
        let fresh = Set(acked)
        var end = consumer.nextUnsettled
        var lastFresh: UInt64?
        while true {
            if fresh.contains(end) {
                lastFresh = end
            } else if !consumer.settledAbove.contains(end) {
                break
            }
            end += 1
        }
        if let lastFresh { send(consumer, tag: lastFresh, multiple: true) }
        for tag in acked where tag >= end && !consumer.settledAbove.contains(tag) {
            send(consumer, tag: tag, multiple: false)
        }
    }

    /// Sends one `basic.ack` and records what it settled.
    func send(_ consumer: AMQPConsumer, tag: UInt64, multiple: Bool) {
        guard let connection, consumer.isActive else { return }
        let result = amqp_basic_ack(connection, consumer.channel, tag, multiple ? 1 : 0)
        if result < 0 { return connectionLost(AMQPLoopError.connection(Self.errorText(result))) }
        if multiple {
            consumer.settle(through: tag)
        } else {
            consumer.markSettled(tag)
        }
    }
}

extension AMQPConsumer {
    /// Every tag up to `tag` is settled.
    func settle(through tag: UInt64) {
        guard tag >= nextUnsettled else { return }
        nextUnsettled = tag + 1
        if !settledAbove.isEmpty { settledAbove = settledAbove.filter { $0 > tag } }
        advance()
    }

    /// One tag is settled.
    func markSettled(_ tag: UInt64) {
        guard tag >= nextUnsettled else { return }
        settledAbove.insert(tag)
        advance()
    }

    private func advance() {
        while settledAbove.remove(nextUnsettled) != nil { nextUnsettled += 1 }
    }

    /// A new channel: tags start again from 1.
    func resetSettlement() {
        nextUnsettled = 1
        settledAbove = []
        pendingAcks = []
    }
}
