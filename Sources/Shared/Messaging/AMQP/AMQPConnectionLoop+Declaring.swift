import CRabbitMQ

extension AMQPConnectionLoop {
    /// Declares every exchange, queue and binding of `topology` (idempotent) on the management channel.
    func declare(_ topology: AMQPTopology, on connection: amqp_connection_state_t) throws {
        let channel = Self.managementChannel
        for exchange in topology.exchanges {
            exchange.name.withAMQPBytes { name in
                exchange.kind.rawValue.withAMQPBytes { kind in
                    _ = amqp_exchange_declare(connection, channel, name, kind, 0, 1, 0, 0, amqp_empty_table)
                }
            }
            try check(amqp_get_rpc_reply(connection), channel: channel, what: "exchange.declare \(exchange.name)")
        }
        for queue in topology.queues {
            queue.name.withAMQPBytes { name in
                AMQPTable.with(queue.arguments) { table in
                    _ = amqp_queue_declare(connection, channel, name, 0, 1, 0, 0, table?.pointee ?? amqp_empty_table)
                }
            }
            try check(amqp_get_rpc_reply(connection), channel: channel, what: "queue.declare \(queue.name)")
        }
        for binding in topology.bindings {
            try bind(queue: binding.queue, exchange: binding.exchange, key: binding.key, add: true, channel: channel, on: connection)
        }
    }
}
