/// Exchanges, queues and bindings to declare. Declaring is idempotent; the client declares its topology at
/// every (re)connection.
public struct AMQPTopology: Sendable, Equatable {
    public enum ExchangeKind: String, Sendable, Equatable {
        case direct, topic, fanout, headers
    }

    public struct Exchange: Sendable, Equatable {
        public var name: String
        public var kind: ExchangeKind

        public init(name: String, kind: ExchangeKind) {
            self.name = name
            self.kind = kind
        }
    }

    public struct Queue: Sendable, Equatable {
        public var name: String
        public var arguments: [AMQPArgument]

        public init(name: String, arguments: [AMQPArgument]) {
            self.name = name
            self.arguments = arguments
        }

        /// A durable quorum queue. With a `deadLetterExchange`, messages delivered more than `deliveryLimit`
        /// times (or rejected) move there at least once (`x-dead-letter-strategy: at-least-once`, which needs
        /// `x-overflow: reject-publish`).
        public static func quorum(name: String, deliveryLimit: Int?, deadLetterExchange: String?) -> Queue {
            var arguments: [AMQPArgument] = [AMQPArgument("x-queue-type", .string("quorum"))]
            if let deliveryLimit { arguments.append(AMQPArgument("x-delivery-limit", .int(deliveryLimit))) }
            if let deadLetterExchange {
                arguments.append(AMQPArgument("x-dead-letter-exchange", .string(deadLetterExchange)))
                arguments.append(AMQPArgument("x-dead-letter-strategy", .string("at-least-once")))
                arguments.append(AMQPArgument("x-overflow", .string("reject-publish")))
            }
            return Queue(name: name, arguments: arguments)
        }

        /// A durable stream (an append-only log that every consumer reads from an offset of its choice) that
        /// drops whole segments once they are older than `maxAge` (`7D`, `12h`, …).
        public static func stream(name: String, maxAge: String, maxSegmentBytes: Int = 16 << 20) -> Queue {
            Queue(
                name: name,
                arguments: [
                    AMQPArgument("x-queue-type", .string("stream")), AMQPArgument("x-max-age", .string(maxAge)),
                    AMQPArgument("x-stream-max-segment-size-bytes", .int(maxSegmentBytes)),
                ])
        }
    }

    public struct Binding: Sendable, Equatable {
        public var queue: String
        public var exchange: String
        public var key: String

        public init(queue: String, exchange: String, key: String) {
            self.queue = queue
            self.exchange = exchange
            self.key = key
        }
    }

    public var exchanges: [Exchange]
    public var queues: [Queue]
    public var bindings: [Binding]

    public init(exchanges: [Exchange] = [], queues: [Queue] = [], bindings: [Binding] = []) {
        self.exchanges = exchanges
        self.queues = queues
        self.bindings = bindings
    }

    /// Pansible's topology (see `Topology`): every exchange, the jobs and events queues, one shards queue per
    /// pool (`default` always included), the dead-letter queue, and the ledger stream fed by the ledger and
    /// control exchanges, whose records are kept for `ledgerMaxAge` (every process must declare the same).
    public static func pansible(pools: [String] = [], deliveryLimit: Int, ledgerMaxAge: String = Topology.defaultLedgerMaxAge)
        -> AMQPTopology
    {
        var topology = AMQPTopology(
            exchanges: [
                Exchange(name: Topology.jobsExchange, kind: .direct),
                Exchange(name: Topology.shardsExchange, kind: .direct),
                Exchange(name: Topology.eventsExchange, kind: .topic),
                Exchange(name: Topology.controlExchange, kind: .fanout),
                Exchange(name: Topology.workersExchange, kind: .topic),
                Exchange(name: Topology.deadLetterExchange, kind: .fanout),
                Exchange(name: Topology.ledgerExchange, kind: .fanout),
            ],
            queues: [
                .quorum(name: Topology.deadLetterQueue, deliveryLimit: nil, deadLetterExchange: nil),
                .quorum(name: Topology.jobsQueue, deliveryLimit: deliveryLimit, deadLetterExchange: Topology.deadLetterExchange),
                .quorum(name: Topology.eventsQueue, deliveryLimit: deliveryLimit, deadLetterExchange: Topology.deadLetterExchange),
                .stream(name: Topology.ledgerQueue, maxAge: ledgerMaxAge),
            ],
            bindings: [
                Binding(queue: Topology.deadLetterQueue, exchange: Topology.deadLetterExchange, key: ""),
                Binding(queue: Topology.jobsQueue, exchange: Topology.jobsExchange, key: Topology.jobsRoutingKey),
                Binding(queue: Topology.eventsQueue, exchange: Topology.eventsExchange, key: "job.#"),
                Binding(queue: Topology.ledgerQueue, exchange: Topology.ledgerExchange, key: ""),
                Binding(queue: Topology.ledgerQueue, exchange: Topology.controlExchange, key: ""),
            ]
        )
        var seen = Set<String>()
        for pool in [Topology.defaultPool] + pools where seen.insert(pool).inserted {
            let queue = Topology.shardsQueue(pool: pool)
            topology.queues.append(.quorum(name: queue, deliveryLimit: deliveryLimit, deadLetterExchange: Topology.deadLetterExchange))
            topology.bindings.append(Binding(queue: queue, exchange: Topology.shardsExchange, key: pool))
        }
        return topology
    }
}

/// One queue argument (`x-…`).
public struct AMQPArgument: Sendable, Equatable {
    public enum Value: Sendable, Equatable {
        case string(String)
        case int(Int)
    }

    public var key: String
    public var value: Value

    public init(_ key: String, _ value: Value) {
        self.key = key
        self.value = value
    }
}
