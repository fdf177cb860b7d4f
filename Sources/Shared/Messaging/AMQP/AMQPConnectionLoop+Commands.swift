import CRabbitMQ
import Logging

extension AMQPConnectionLoop {
    func handle(_ command: AMQPCommand) {
        switch command {
        case .publish(let batch):
            guard shutdownDeadline == nil else { return batch.finish(.shutdown) }
            outbox.reserveCapacity(outbox.count + batch.messages.count)
            for index in batch.messages.indices { outbox.append(AMQPPendingPublish(batch: batch, index: index)) }

        case .ack(let acknowledger, let tag, let multiple):
            guard connection != nil, isCurrent(acknowledger), let consumer = consumers[acknowledger.consumerID] else {
                return dropSettlement(acknowledger, tag: tag)
            }
            if multiple {
                flushAcks(consumer)
                send(consumer, tag: tag, multiple: true)
            } else {
                if consumer.pendingAcks.isEmpty { consumersWithAcks.append(consumer) }
                consumer.pendingAcks.append(tag)
            }

        case .nack(let acknowledger, let tag, let requeue):
            guard connection != nil, isCurrent(acknowledger), let consumer = consumers[acknowledger.consumerID] else {
                return dropSettlement(acknowledger, tag: tag)
            }
            flushAcks(consumer)
            // Sending the acks may have lost the connection.
            guard let connection, consumer.isActive else { return }
            let result = amqp_basic_nack(connection, acknowledger.channel, tag, 0, requeue ? 1 : 0)
            if result < 0 { return connectionLost(AMQPLoopError.connection(Self.errorText(result))) }
            consumer.markSettled(tag)

        case .consume(let consumer, let continuation):
            guard shutdownDeadline == nil else {
                consumer.continuation.finish()
                return continuation.resume(throwing: MessagingError.shutdown)
            }
            consumers[consumer.id] = consumer
            consumer.startContinuation = continuation
            // Not connected: the consumer starts (and the caller resumes) with the next connection.
            guard connection != nil else { return }
            do {
                try start(consumer)
            } catch let error as MessagingError {
                removeConsumer(consumer, error: error)
            } catch {
                connectionLost(error)
            }

        case .cancel(let consumerID):
            cancelConsumer(consumerID)

        case .stopConsuming(let consumerID):
            stopConsuming(consumerID)

        case .bind(let consumerID, let key, let continuation):
            changeBinding(consumerID: consumerID, key: key, add: true, continuation: continuation)

        case .unbind(let consumerID, let key, let continuation):
            changeBinding(consumerID: consumerID, key: key, add: false, continuation: continuation)

        case .declare(let topology, let continuation):
            guard shutdownDeadline == nil else { return continuation.resume(throwing: MessagingError.shutdown) }
            guard connection != nil else { return pendingDeclarations.append((topology, continuation)) }
            do {
                try onManagementChannel { try declare(topology, on: $0) }
                topologies.append(topology)
                continuation.resume()
            } catch let error as MessagingError {
                continuation.resume(throwing: error)
            } catch {
                pendingDeclarations.append((topology, continuation))
                connectionLost(error)
            }

        case .shutdown(let timeout, let continuation):
            shutdownWaiters.append(continuation)
            guard shutdownDeadline == nil else { return }
            shutdownDeadline = ContinuousClock.now + timeout
            logger.info("AMQP client shutting down", metadata: ["amqp.unconfirmed": "\(pendingPublishes)"])
            for id in consumers.keys.sorted() { cancelConsumer(id) }
            for (_, waiting) in pendingDeclarations { waiting.resume(throwing: MessagingError.shutdown) }
            pendingDeclarations = []
        }
    }

    /// Answers a command that arrived after the thread stopped.
    func refuse(_ command: AMQPCommand) {
        switch command {
        case .publish(let batch): batch.finish(.shutdown)
        case .ack, .nack, .cancel, .stopConsuming: break
        case .consume(let consumer, let continuation):
            consumer.continuation.finish()
            continuation.resume(throwing: MessagingError.shutdown)
        case .bind(_, _, let continuation), .unbind(_, _, let continuation), .declare(_, let continuation):
            continuation.resume(throwing: MessagingError.shutdown)
        case .shutdown(_, let continuation): continuation.resume()
        }
    }

    private func isCurrent(_ acknowledger: AMQPAcknowledger) -> Bool {
        acknowledger.isOpen && consumers[acknowledger.consumerID]?.acknowledger === acknowledger
    }

    private func dropSettlement(_ acknowledger: AMQPAcknowledger, tag: UInt64) {
        logger.debug(
            "AMQP settlement for a closed channel dropped",
            metadata: [
                "amqp.channel": "\(acknowledger.channel)", "amqp.delivery_tag": "\(tag)",
                "amqp.generation": "\(acknowledger.generation)",
            ])
    }
}
