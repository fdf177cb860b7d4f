import CRabbitMQ
import Logging

extension AMQPConnectionLoop {
    /// Publishes from the outbox while the confirm window has room.
    func pumpPublishes(_ connection: amqp_connection_state_t) throws {
        guard publisherReady else { return }
        let window = configuration.confirmWindow
        while outboxHead < outbox.count && inFlightCount < window {
            let pending = outbox[outboxHead]
            if pending.batch.isFinished {
                outboxHead += 1
                continue
            }
            let result = publish(pending.message, on: connection)
            guard result == AMQP_STATUS_OK.rawValue else { throw AMQPLoopError.connection(Self.errorText(result)) }
            outboxHead += 1
            inFlight.append(pending)
            inFlightCount += 1
            nextPublishSequence += 1
        }
        if outboxHead == outbox.count {
            outbox.removeAll(keepingCapacity: true)
            outboxHead = 0
        } else if outboxHead > 4096 {
            outbox.removeFirst(outboxHead)
            outboxHead = 0
        }
    }

    private func publish(_ message: OutgoingMessage, on connection: amqp_connection_state_t) -> Int32 {
        message.exchange.withAMQPBytes { exchange in
            message.routingKey.withAMQPBytes { routingKey in
                message.messageID.withAMQPBytes { messageID in
                    message.contentType.withAMQPBytes { contentType in
                        message.body.withAMQPBytes { body in
                            let headers = message.headers.sorted { $0.key < $1.key }.map { AMQPArgument($0.key, .string($0.value)) }
                            return AMQPTable.with(headers) { table in
                                pansible_publish(
                                    connection, Self.publisherChannel, exchange, routingKey, 1, messageID, contentType, table, body)
                            }
                        }
                    }
                }
            }
        }
    }

    /// A `basic.ack` or `basic.nack` from the broker for the publisher channel.
    func confirm(deliveryTag: UInt64, multiple: Bool, positive: Bool) {
        guard deliveryTag >= inFlightBase else { return }
        let last = Int(deliveryTag - inFlightBase)
        guard last < inFlight.count else { return }
        let first = multiple ? inFlightHead : last
        var nacked: [AMQPPendingPublish] = []
        if first <= last {
            for position in first...last {
                guard let pending = inFlight[position] else { continue }
                inFlight[position] = nil
                inFlightCount -= 1
                if positive {
                    pending.batch.settle(index: pending.index, failure: pending.returned)
                } else {
                    nacked.append(AMQPPendingPublish(batch: pending.batch, index: pending.index))
                }
            }
        }
        while inFlightHead < inFlight.count && inFlight[inFlightHead] == nil { inFlightHead += 1 }
        if inFlightHead == inFlight.count {
            inFlightBase += UInt64(inFlightHead)
            inFlight.removeAll(keepingCapacity: true)
            inFlightHead = 0
        } else if inFlightHead > 1024 {
            inFlightBase += UInt64(inFlightHead)
            inFlight.removeFirst(inFlightHead)
            inFlightHead = 0
        }
        if !nacked.isEmpty {
            logger.warning("AMQP broker nacked messages, re-sending", metadata: ["amqp.count": "\(nacked.count)"])
            prependToOutbox(nacked)
        }
    }

    /// A message the broker returned (no queue bound): its confirm follows, and then its batch fails.
    func returned(_ message: AMQPPartialMessage) {
        let error = MessagingError.unroutable(
            exchange: message.exchange, routingKey: message.routingKey, messageID: message.messageID ?? "")
        logger.warning(
            "AMQP message returned as unroutable",
            metadata: [
                "amqp.exchange": "\(message.exchange)", "amqp.routing_key": "\(message.routingKey)",
                "amqp.message_id": "\(message.messageID ?? "")", "amqp.reply_code": "\(message.replyCode)",
            ])
        for position in inFlightHead..<inFlight.count {
            guard let pending = inFlight[position], pending.returned == nil else { continue }
            let candidate = pending.message
            if candidate.messageID == (message.messageID ?? "") && candidate.exchange == message.exchange
                && candidate.routingKey == message.routingKey
            {
                inFlight[position]?.returned = error
                return
            }
        }
    }

    /// Moves every unconfirmed message back to the front of the outbox, in publishing order.
    func requeueInFlight() {
        var unconfirmed: [AMQPPendingPublish] = []
        unconfirmed.reserveCapacity(inFlightCount)
        for case let pending? in inFlight[inFlightHead...] {
            unconfirmed.append(AMQPPendingPublish(batch: pending.batch, index: pending.index))
        }
        inFlight.removeAll(keepingCapacity: true)
        inFlightHead = 0
        inFlightCount = 0
        inFlightBase = nextPublishSequence
        if !unconfirmed.isEmpty { prependToOutbox(unconfirmed) }
    }

    private func prependToOutbox(_ messages: [AMQPPendingPublish]) {
        outbox = messages + outbox[outboxHead...]
        outboxHead = 0
    }

    /// After the broker closed the publisher channel with NOT_FOUND: fails the messages whose exchange does
    /// not exist (checked with passive declarations), so that they are not re-sent forever.
    func failMissingExchanges() throws {
        let exchanges = Set(outbox[outboxHead...].map(\.message.exchange)).subtracting([""])
        for exchange in exchanges.sorted() {
            do {
                try onManagementChannel { connection in
                    _ = exchange.withAMQPBytes { name in
                        "direct".withAMQPBytes { kind in
                            amqp_exchange_declare(connection, Self.managementChannel, name, kind, 1, 0, 0, 0, amqp_empty_table)
                        }
                    }
                    try check(amqp_get_rpc_reply(connection), channel: Self.managementChannel, what: "exchange.declare")
                }
            } catch let error as MessagingError {
                let failure = MessagingError.broker("cannot publish to exchange '\(exchange)': \(error)")
                for pending in outbox[outboxHead...] where pending.message.exchange == exchange {
                    pending.batch.finish(failure)
                }
            }
        }
    }
}
