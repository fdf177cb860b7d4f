import CRabbitMQ
import Logging

extension AMQPConnectionLoop {
    /// Opens a channel for `consumer`, sets its prefetch, (re)creates its exclusive queue and bindings if it
    /// has one, and starts consuming. A broker refusal becomes a `MessagingError`; a connection failure an
    /// `AMQPLoopError.connection`.
    func start(_ consumer: AMQPConsumer) throws {
        guard let connection else { throw AMQPLoopError.connection("not connected") }
        let channel = allocateChannel()
        try openChannel(channel)
        do {
            if !consumer.autoAck {
                amqp_basic_qos(connection, channel, 0, UInt16(clamping: max(1, consumer.prefetch)), 0)
                try check(amqp_get_rpc_reply(connection), channel: channel, what: "basic.qos")
            }
            switch consumer.source {
            case .queue(let name):
                consumer.queueName = name
            case .bound(let exchange):
                let declared = amqp_queue_declare(connection, channel, amqp_empty_bytes, 0, 0, 1, 1, amqp_empty_table)
                try check(amqp_get_rpc_reply(connection), channel: channel, what: "queue.declare")
                guard let declared else { throw AMQPLoopError.connection("queue.declare: no reply") }
                consumer.queueName = String(amqpBytes: declared.pointee.queue)
                for key in consumer.bindingKeys.sorted() {
                    try bind(queue: consumer.queueName, exchange: exchange, key: key, add: true, channel: channel, on: connection)
                }
            }
            let started = consumer.queueName.withAMQPBytes { queue in
                AMQPTable.with(consumer.arguments) { table in
                    amqp_basic_consume(
                        connection, channel, queue, amqp_empty_bytes, 0, consumer.autoAck ? 1 : 0, 0, table?.pointee ?? amqp_empty_table)
                }
            }
            try check(amqp_get_rpc_reply(connection), channel: channel, what: "basic.consume")
            consumer.consumerTag = started.map { String(amqpBytes: $0.pointee.consumer_tag) } ?? ""
        } catch AMQPLoopError.channel(let code, let text) {
            throw MessagingError.broker("cannot consume \(consumer.describedSource): \(code) \(text)")
        }
        consumer.channel = channel
        consumer.partial = nil
        consumer.resetSettlement()
        consumer.acknowledger = AMQPAcknowledger(
            consumerID: consumer.id, channel: channel, generation: generation, autoAck: consumer.autoAck, mailbox: mailbox)
        consumersByChannel[channel] = consumer
        consumer.started()
        logger.debug(
            "AMQP consumer started",
            metadata: [
                "amqp.queue": "\(consumer.queueName)", "amqp.channel": "\(channel)", "amqp.generation": "\(generation)",
            ])
    }

    func bind(
        queue: String, exchange: String, key: String, add: Bool, channel: UInt16, on connection: amqp_connection_state_t
    ) throws {
        queue.withAMQPBytes { queue in
            exchange.withAMQPBytes { exchange in
                key.withAMQPBytes { key in
                    if add {
                        _ = amqp_queue_bind(connection, channel, queue, exchange, key, amqp_empty_table)
                    } else {
                        _ = amqp_queue_unbind(connection, channel, queue, exchange, key, amqp_empty_table)
                    }
                }
            }
        }
        try check(amqp_get_rpc_reply(connection), channel: channel, what: add ? "queue.bind" : "queue.unbind")
    }

    func changeBinding(consumerID: Int, key: String, add: Bool, continuation: CheckedContinuation<Void, any Error>) {
        guard let consumer = consumers[consumerID], case .bound(let exchange) = consumer.source else {
            return continuation.resume(throwing: MessagingError.broker("the subscription is cancelled"))
        }
        let changed = add ? consumer.bindingKeys.insert(key).inserted : consumer.bindingKeys.remove(key) != nil
        // Not connected: the binding is made when the queue is re-created.
        guard changed, consumer.isActive else { return continuation.resume() }
        do {
            try onManagementChannel { connection in
                try bind(
                    queue: consumer.queueName, exchange: exchange, key: key, add: add, channel: Self.managementChannel, on: connection)
            }
            continuation.resume()
        } catch let error as MessagingError {
            if add { consumer.bindingKeys.remove(key) } else { consumer.bindingKeys.insert(key) }
            continuation.resume(throwing: error)
        } catch {
            connectionLost(error)
            continuation.resume()
        }
    }

    func cancelConsumer(_ id: Int) {
        guard let consumer = consumers[id] else { return }
        // Acks the application already made go out before the channel closes.
        flushAcks(consumer)
        consumers[id] = nil
        consumer.acknowledger?.close()
        consumer.acknowledger = nil
        if consumer.isActive, let connection {
            consumersByChannel[consumer.channel] = nil
            // Closing the channel cancels the consumer and hands unacknowledged messages back.
            amqp_channel_close(connection, consumer.channel, AMQP_REPLY_SUCCESS)
            do {
                try check(amqp_get_rpc_reply(connection), channel: consumer.channel, what: "channel.close")
            } catch AMQPLoopError.channel {
                // Already closed by the broker.
            } catch {
                connectionLost(error)
            }
        }
        consumer.channel = 0
        consumer.started(MessagingError.shutdown)
        consumer.continuation.finish()
        logger.debug("AMQP consumer cancelled", metadata: ["amqp.queue": "\(consumer.queueName)"])
    }

    /// Cancels the consumer at the broker (`basic.cancel`) but keeps its channel open, so the deliveries it
    /// already received can still be acked or nacked; its stream ends once those are all handed over
    /// (`finishStoppedConsumers`). The channel closes with `cancelConsumer` or the client's shutdown.
    func stopConsuming(_ id: Int) {
        guard let consumer = consumers[id], !consumer.isStopped else { return }
        consumer.isStopped = true
        guard consumer.isActive, let connection else {
            // Not connected: nothing is held and nothing can be settled any more.
            consumers[id] = nil
            consumer.started(MessagingError.shutdown)
            return consumer.continuation.finish()
        }
        // Deliveries sent before the broker's cancel-ok are queued by rabbitmq-c while it waits for it, and
        // read (and handed over) after. Should the connection drop meanwhile, its stream ends at once.
        stoppedConsumers.append(consumer)
        consumer.consumerTag.withAMQPBytes { tag in
            _ = amqp_basic_cancel(connection, consumer.channel, tag)
        }
        do {
            try check(amqp_get_rpc_reply(connection), channel: consumer.channel, what: "basic.cancel")
        } catch AMQPLoopError.channel {
            // The channel is gone, and with it what the consumer held (the broker requeues it): its acks throw.
            consumersByChannel[consumer.channel] = nil
            consumers[id] = nil
            consumer.acknowledger?.close()
            consumer.acknowledger = nil
            consumer.channel = 0
            return consumer.continuation.finish()
        } catch {
            // The connection is gone; the consumer is not restarted (`connect`).
            return connectionLost(error)
        }
        logger.info("AMQP consumer stopped taking messages", metadata: ["amqp.queue": "\(consumer.queueName)"])
    }

    /// Ends the streams of stopped consumers once every frame read before their cancel-ok is handled.
    func finishStoppedConsumers() {
        guard !stoppedConsumers.isEmpty else { return }
        if let connection, amqp_frames_enqueued(connection) != 0 { return }
        stoppedConsumers.removeAll { consumer in
            guard consumer.partial == nil || connection == nil else { return false }
            consumer.continuation.finish()
            return true
        }
    }

    /// Ends a consumer's stream with `error`.
    func removeConsumer(_ consumer: AMQPConsumer, error: MessagingError) {
        consumers[consumer.id] = nil
        if consumer.isActive { consumersByChannel[consumer.channel] = nil }
        consumer.acknowledger?.close()
        consumer.acknowledger = nil
        consumer.channel = 0
        logger.error("AMQP consumer stopped", metadata: ["amqp.queue": "\(consumer.describedSource)", "amqp.error": "\(error)"])
        consumer.started(error)
        consumer.continuation.finish(throwing: error)
    }

    /// The broker closed a consumer's channel: restart it on a new channel unless the queue is gone or refused.
    func consumerChannelClosed(_ consumer: AMQPConsumer, code: UInt16, text: String) throws {
        consumersByChannel[consumer.channel] = nil
        consumer.acknowledger?.close()
        consumer.acknowledger = nil
        consumer.channel = 0
        consumer.partial = nil
        logger.warning(
            "AMQP consumer channel closed by the broker",
            metadata: ["amqp.queue": "\(consumer.queueName)", "amqp.reply_code": "\(code)", "amqp.reply_text": "\(text)"])
        if consumer.isStopped {
            // It takes no more messages: there is nothing to restart, and what it held went back to the queue.
            consumers[consumer.id] = nil
            return consumer.continuation.finish()
        }
        // 403 access refused, 404 not found, 405 resource locked: restarting would fail the same way.
        if [403, 404, 405].contains(code) {
            return removeConsumer(consumer, error: .broker("\(code) \(text)"))
        }
        do {
            try start(consumer)
        } catch let error as MessagingError {
            removeConsumer(consumer, error: error)
        }
    }

    func allocateChannel() -> UInt16 {
        if nextChannel < channelMax {
            defer { nextChannel += 1 }
            return nextChannel
        }
        var channel = Self.firstConsumerChannel
        while consumersByChannel[channel] != nil && channel < channelMax { channel += 1 }
        return channel
    }

    /// Emits a complete delivery to its consumer's stream.
    func deliver(_ message: AMQPPartialMessage, to consumer: AMQPConsumer) {
        guard let acknowledger = consumer.acknowledger else { return }
        let count = message.headers["x-delivery-count"].flatMap { Int($0) } ?? 0
        let delivery = Delivery(
            body: message.body, messageID: message.messageID, exchange: message.exchange, routingKey: message.routingKey,
            deliveryTag: message.deliveryTag, deliveryCount: count, redelivered: message.redelivered, headers: message.headers,
            acknowledger: acknowledger)
        consumer.continuation.yield(delivery)
        lastDeliveryAt = .now
    }
}

extension AMQPConsumer {
    var describedSource: String {
        switch source {
        case .queue(let name): return "queue '\(name)'"
        case .bound(let exchange): return "exclusive queue on exchange '\(exchange)'"
        }
    }
}
