import CRabbitMQ
import Logging

extension AMQPConnectionLoop {
    /// Dispatches one frame read from the connection.
    func handle(_ frame: pansible_frame_t) throws {
        let channel = frame.channel
        switch pansible_frame_kind_t(UInt32(frame.kind)) {
        case PANSIBLE_FRAME_DELIVER:
            guard let consumer = consumersByChannel[channel] else { return }
            var message = AMQPPartialMessage()
            message.deliveryTag = frame.delivery_tag
            message.redelivered = frame.redelivered != 0
            message.exchange = String(amqpBytes: frame.exchange)
            message.routingKey = String(amqpBytes: frame.routing_key)
            consumer.partial = message

        case PANSIBLE_FRAME_RETURN:
            guard channel == Self.publisherChannel else { return }
            var message = AMQPPartialMessage()
            message.replyCode = frame.reply_code
            message.exchange = String(amqpBytes: frame.exchange)
            message.routingKey = String(amqpBytes: frame.routing_key)
            returnedMessage = message

        case PANSIBLE_FRAME_HEADER:
            if channel == Self.publisherChannel {
                guard var message = returnedMessage else { return }
                Self.readHeader(frame, into: &message, keepBody: false)
                returnedMessage = message
                if message.isComplete {
                    returnedMessage = nil
                    returned(message)
                }
            } else if let consumer = consumersByChannel[channel], var message = consumer.partial {
                consumer.partial = nil
                Self.readHeader(frame, into: &message, keepBody: true)
                if message.isComplete {
                    deliver(message, to: consumer)
                } else {
                    consumer.partial = message
                }
            }

        case PANSIBLE_FRAME_BODY:
            if channel == Self.publisherChannel {
                guard var message = returnedMessage else { return }
                // The returned body itself is not needed: count its bytes to know when it ends.
                message.bodySize -= frame.body.len
                returnedMessage = message
                if message.isComplete {
                    returnedMessage = nil
                    returned(message)
                }
            } else if let consumer = consumersByChannel[channel], var message = consumer.partial {
                consumer.partial = nil
                if let bytes = frame.body.bytes, frame.body.len > 0 {
                    message.body.append(contentsOf: UnsafeRawBufferPointer(start: bytes, count: frame.body.len))
                }
                if message.isComplete {
                    deliver(message, to: consumer)
                } else {
                    consumer.partial = message
                }
            }

        case PANSIBLE_FRAME_ACK:
            if channel == Self.publisherChannel {
                confirm(deliveryTag: frame.delivery_tag, multiple: frame.multiple != 0, positive: true)
            }

        case PANSIBLE_FRAME_NACK:
            if channel == Self.publisherChannel {
                confirm(deliveryTag: frame.delivery_tag, multiple: frame.multiple != 0, positive: false)
            }

        case PANSIBLE_FRAME_CHANNEL_CLOSE:
            guard let connection else { return }
            let text = String(amqpBytes: frame.reply_text)
            let sent = pansible_send_channel_close_ok(connection, channel)
            guard sent >= 0 else { throw AMQPLoopError.connection(Self.errorText(sent)) }
            try channelClosed(channel, code: frame.reply_code, text: text)

        case PANSIBLE_FRAME_CONNECTION_CLOSE:
            if let connection { _ = pansible_send_connection_close_ok(connection) }
            throw AMQPLoopError.connection(
                "connection closed by the broker: \(frame.reply_code) \(String(amqpBytes: frame.reply_text))")

        case PANSIBLE_FRAME_CANCEL:
            // The broker cancelled a consumer (its queue was deleted).
            guard let consumer = consumersByChannel[channel] else { return }
            removeConsumer(consumer, error: .broker("the broker cancelled the consumer of queue '\(consumer.queueName)'"))
            if let connection {
                amqp_channel_close(connection, channel, AMQP_REPLY_SUCCESS)
                do {
                    try check(amqp_get_rpc_reply(connection), channel: channel, what: "channel.close")
                } catch AMQPLoopError.channel {}
            }

        default:
            return
        }
    }

    private static func readHeader(_ frame: pansible_frame_t, into message: inout AMQPPartialMessage, keepBody: Bool) {
        message.haveHeader = true
        message.bodySize = Int(frame.body_size)
        if frame.has_message_id != 0 { message.messageID = String(amqpBytes: frame.message_id) }
        if let headers = frame.headers { message.headers = AMQPTable.strings(headers) }
        if keepBody {
            message.body.reserveCapacity(message.bodySize)
        } else {
            message.body = []
        }
    }

    private func channelClosed(_ channel: UInt16, code: UInt16, text: String) throws {
        if channel == Self.publisherChannel {
            logger.warning("AMQP publisher channel closed by the broker", metadata: ["amqp.reply_code": "\(code)", "amqp.reply_text": "\(text)"])
            publisherReady = false
            returnedMessage = nil
            requeueInFlight()
            if code == 404 { try failMissingExchanges() }
            guard let connection else { return }
            try openPublisher(connection)
        } else if channel == Self.managementChannel {
            try openChannel(Self.managementChannel)
        } else if let consumer = consumersByChannel[channel] {
            try consumerChannelClosed(consumer, code: code, text: text)
        }
    }
}
