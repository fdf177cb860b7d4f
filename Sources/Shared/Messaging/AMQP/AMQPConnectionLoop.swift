import CRabbitMQ
import Foundation
import Logging

/// One message waiting for its publish or its confirm.
struct AMQPPendingPublish {
    let batch: AMQPPublishBatch
    let index: Int
    /// Set when the broker returned the message (unroutable); reported once its confirm arrives.
    var returned: MessagingError?

    var message: OutgoingMessage { batch.messages[index] }
}

/// The thread that owns one rabbitmq-c connection (rabbitmq-c is neither thread-safe nor asynchronous).
///
/// It alternates between the commands of async callers (`AMQPMailbox`), publishing within the confirm
/// window, and reading frames without blocking; when there is nothing to do it sleeps in `poll` on the
/// socket and the mailbox's wake pipe, at most a fraction of the heartbeat interval so that heartbeats are
/// sent and missed ones detected. On any connection failure it reconnects with exponential backoff,
/// redeclares the topology, restarts the consumers and re-sends every unconfirmed message.
///
/// `@unchecked Sendable`: handed to its thread once at start; from then on only that thread touches its
/// mutable state. Other threads reach it only through `mailbox` and `status`, which are thread-safe.
final class AMQPConnectionLoop: @unchecked Sendable {
    static let publisherChannel: UInt16 = 1
    static let managementChannel: UInt16 = 2
    static let firstConsumerChannel: UInt16 = 3
    static let initialReconnectDelay = 0.1

    let configuration: AMQPConfiguration
    let endpoint: AMQPEndpoint
    let connectionName: String
    let logger: Logger
    let mailbox: AMQPMailbox
    let status: AMQPConnectionStatus

    var connection: amqp_connection_state_t?
    var socketFD: Int32 = -1
    /// Increases at every successful connection.
    var generation: UInt64 = 0
    var nextChannel = AMQPConnectionLoop.firstConsumerChannel
    var channelMax: UInt16 = 2047

    // Publishing: `outbox[outboxHead...]` waits to be sent; `inFlight[inFlightHead...]` waits for confirms,
    // position p holding the publish with sequence number `inFlightBase + p` (nil once settled).
    var outbox: [AMQPPendingPublish] = []
    var outboxHead = 0
    var inFlight: [AMQPPendingPublish?] = []
    var inFlightHead = 0
    var inFlightBase: UInt64 = 1
    var inFlightCount = 0
    var nextPublishSequence: UInt64 = 1
    var publisherReady = false
    var returnedMessage: AMQPPartialMessage?

    var topologies: [AMQPTopology]
    var pendingDeclarations: [(AMQPTopology, CheckedContinuation<Void, any Error>)] = []

    var consumers: [Int: AMQPConsumer] = [:]
    /// Consumers with acks collected from the current batch of commands, to send together.
    var consumersWithAcks: [AMQPConsumer] = []
    var lastDeliveryAt = ContinuousClock.now - .seconds(60)
    var consumersByChannel: [UInt16: AMQPConsumer] = [:]
    /// Consumers cancelled at the broker whose streams end once what they received before is handed over.
    var stoppedConsumers: [AMQPConsumer] = []

    var reconnectDelay = AMQPConnectionLoop.initialReconnectDelay
    var nextAttempt = ContinuousClock.now
    var failedAttempts = 0

    var shutdownDeadline: ContinuousClock.Instant?
    var shutdownWaiters: [CheckedContinuation<Void, Never>] = []

    init(
        configuration: AMQPConfiguration, endpoint: AMQPEndpoint, topology: AMQPTopology, connectionName: String,
        logger: Logger, mailbox: AMQPMailbox, status: AMQPConnectionStatus
    ) {
        self.configuration = configuration
        self.endpoint = endpoint
        self.topologies = [topology]
        self.connectionName = connectionName
        self.logger = logger
        self.mailbox = mailbox
        self.status = status
    }

    var pendingPublishes: Int { outbox.count - outboxHead + inFlightCount }

    /// The thread's body: returns after shutdown.
    func run() {
        while true {
            for command in mailbox.take() { handle(command) }
            flushAcks()
            if let deadline = shutdownDeadline, pendingPublishes == 0 || ContinuousClock.now >= deadline { break }
            guard let connection else {
                waitForReconnect()
                continue
            }
            do {
                try pumpPublishes(connection)
                let frames = try readFrames(connection, limit: 4096)
                finishStoppedConsumers()
                if frames == 0 { waitForWork(connection) }
            } catch {
                connectionLost(error)
            }
        }
        stop()
    }

    // MARK: - Connecting

    private func waitForReconnect() {
        let now = ContinuousClock.now
        if now >= nextAttempt {
            attemptConnection()
            return
        }
        var until = nextAttempt
        if let deadline = shutdownDeadline, deadline < until { until = deadline }
        sleep(socket: -1, milliseconds: (until - now).wholeMilliseconds)
    }

    private func attemptConnection() {
        do {
            try connect()
            failedAttempts = 0
            reconnectDelay = Self.initialReconnectDelay
        } catch {
            teardown(graceful: false)
            failedAttempts += 1
            logger.warning(
                "AMQP connection attempt failed",
                metadata: [
                    "amqp.host": "\(endpoint.host)", "amqp.port": "\(endpoint.port)", "amqp.error": "\(error)",
                    "amqp.attempt": "\(failedAttempts)", "amqp.retry_in_s": "\(reconnectDelay)",
                ])
            nextAttempt = ContinuousClock.now + .milliseconds(Int(reconnectDelay * 1000))
            reconnectDelay = min(reconnectDelay * 2, configuration.reconnectMaxDelay)
        }
    }

    private func connect() throws {
        guard let state = amqp_new_connection() else { throw AMQPLoopError.connection("cannot allocate a connection") }
        connection = state
        let socket = endpoint.tls ? amqp_ssl_socket_new(state) : amqp_tcp_socket_new(state)
        guard let socket else { throw AMQPLoopError.connection("cannot create a socket") }
        if endpoint.tls {
            // OpenSSL writes to the socket with write(2): a peer that went away must not kill the process.
            signal(SIGPIPE, SIG_IGN)
            if let caFile = configuration.tlsCAFile {
                let result = amqp_ssl_socket_set_cacert(socket, caFile)
                guard result == AMQP_STATUS_OK.rawValue else {
                    throw AMQPLoopError.connection("cannot read amqp.tls_ca_file '\(caFile)': \(Self.errorText(result))")
                }
            }
            amqp_ssl_socket_set_verify_peer(socket, configuration.tlsVerify ? 1 : 0)
            amqp_ssl_socket_set_verify_hostname(socket, configuration.tlsVerify ? 1 : 0)
        }
        var handshakeTimeout = timeval(tv_sec: 10, tv_usec: 0)
        amqp_set_handshake_timeout(state, &handshakeTimeout)
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        let opened = amqp_socket_open_noblock(socket, endpoint.host, Int32(endpoint.port), &timeout)
        guard opened == AMQP_STATUS_OK.rawValue else {
            throw AMQPLoopError.connection("cannot connect to \(endpoint.host):\(endpoint.port): \(Self.errorText(opened))")
        }
        let login = pansible_amqp_login_named(
            state, endpoint.vhost, 0, 131_072, Int32(configuration.heartbeat), endpoint.user, endpoint.password, connectionName)
        try check(login, channel: 0, what: "login")
        var rpcTimeout = timeval(tv_sec: 30, tv_usec: 0)
        amqp_set_rpc_timeout(state, &rpcTimeout)
        socketFD = amqp_get_sockfd(state)
        let negotiated = amqp_get_channel_max(state)
        channelMax = negotiated > 0 && negotiated <= Int32(UInt16.max) ? UInt16(negotiated) : 2047
        generation += 1
        nextChannel = Self.firstConsumerChannel

        try openChannel(Self.managementChannel)
        for topology in topologies {
            try onManagementChannel { try declare(topology, on: $0) }
        }
        try openPublisher(state)
        status.isConnected = true
        let waiting = pendingDeclarations
        pendingDeclarations = []
        for (index, (topology, continuation)) in waiting.enumerated() {
            do {
                try onManagementChannel { try declare(topology, on: $0) }
                topologies.append(topology)
                continuation.resume()
            } catch let error as MessagingError {
                continuation.resume(throwing: error)
            } catch {
                pendingDeclarations.append(contentsOf: waiting[index...])
                throw error
            }
        }
        logger.info(
            "AMQP connected",
            metadata: [
                "amqp.host": "\(endpoint.host)", "amqp.port": "\(endpoint.port)", "amqp.vhost": "\(endpoint.vhost)",
                "amqp.generation": "\(generation)", "amqp.unconfirmed": "\(pendingPublishes)",
                "amqp.consumers": "\(consumers.count)",
            ])
        if pendingPublishes > 0 {
            logger.info("AMQP re-sending unconfirmed messages", metadata: ["amqp.count": "\(pendingPublishes)"])
        }
        for consumer in consumers.values.sorted(by: { $0.id < $1.id }) {
            if consumer.isStopped {
                // Cancelled before the connection dropped: it takes no more messages, and what it held went
                // back to the queue with the old connection.
                consumers[consumer.id] = nil
                consumer.continuation.finish()
                continue
            }
            do {
                try start(consumer)
            } catch let error as MessagingError {
                removeConsumer(consumer, error: error)
            }
        }
        if !consumers.isEmpty {
            logger.info("AMQP consumers restarted", metadata: ["amqp.consumers": "\(consumers.count)", "amqp.generation": "\(generation)"])
        }
    }

    func openChannel(_ channel: UInt16) throws {
        guard let connection else { throw AMQPLoopError.connection("not connected") }
        amqp_channel_open(connection, channel)
        try check(amqp_get_rpc_reply(connection), channel: channel, what: "channel.open")
    }

    func openPublisher(_ connection: amqp_connection_state_t) throws {
        try openChannel(Self.publisherChannel)
        amqp_confirm_select(connection, Self.publisherChannel)
        try check(amqp_get_rpc_reply(connection), channel: Self.publisherChannel, what: "confirm.select")
        nextPublishSequence = 1
        inFlightBase = 1
        publisherReady = true
    }

    /// Forgets the connection after a failure and schedules a reconnection.
    func connectionLost(_ error: any Error) {
        logger.warning(
            "AMQP connection lost",
            metadata: [
                "amqp.error": "\(error)", "amqp.generation": "\(generation)", "amqp.unconfirmed": "\(pendingPublishes)",
            ])
        teardown(graceful: false)
        nextAttempt = ContinuousClock.now
    }

    /// Closes (gracefully or not) and destroys the connection; every channel's acknowledger is closed and
    /// unconfirmed messages go back to the front of the outbox.
    func teardown(graceful: Bool) {
        status.isConnected = false
        for consumer in consumers.values {
            consumer.acknowledger?.close()
            consumer.acknowledger = nil
            consumer.channel = 0
            consumer.partial = nil
        }
        consumersByChannel = [:]
        requeueInFlight()
        publisherReady = false
        returnedMessage = nil
        if let connection {
            if graceful {
                var timeout = timeval(tv_sec: 2, tv_usec: 0)
                amqp_set_rpc_timeout(connection, &timeout)
                amqp_connection_close(connection, AMQP_REPLY_SUCCESS)
            }
            amqp_destroy_connection(connection)
        }
        connection = nil
        socketFD = -1
        finishStoppedConsumers()
    }

    // MARK: - Waiting

    private func waitForWork(_ connection: amqp_connection_state_t) {
        if amqp_frames_enqueued(connection) != 0 || amqp_data_in_buffer(connection) != 0 { return }
        if publisherReady && outboxHead < outbox.count && inFlightCount < configuration.confirmWindow { return }
        var timeout = configuration.heartbeat > 0 ? min(1000, configuration.heartbeat * 250) : 1000
        // TLS may hold decrypted bytes that poll cannot see: look again soon.
        if endpoint.tls { timeout = min(timeout, 20) }
        // Under consuming load, wake up every millisecond to collect acks rather than once per ack.
        let busy = ContinuousClock.now - lastDeliveryAt < .milliseconds(10)
        if busy { timeout = 1 }
        sleep(socket: socketFD, milliseconds: timeout, lazyAcks: busy)
    }

    private func sleep(socket: Int32, milliseconds: Int, lazyAcks: Bool = false) {
        guard mailbox.prepareToSleep(lazyAcks: lazyAcks) else { return }
        let ready = pansible_wait_readable(socket, mailbox.wakeReadFD, Int32(clamping: max(0, milliseconds)))
        mailbox.awake(drain: ready > 0 && ready & 2 != 0)
    }

    // MARK: - Frames

    private func readFrames(_ connection: amqp_connection_state_t, limit: Int) throws -> Int {
        var frame = pansible_frame_t()
        var count = 0
        defer {
            if let current = self.connection { amqp_maybe_release_buffers(current) }
        }
        while count < limit {
            // A non-zero time-out makes rabbitmq-c compare it with the heartbeat deadlines (a zero one does not).
            var timeout = timeval(tv_sec: 0, tv_usec: 1)
            let result = pansible_next_frame(connection, &frame, &timeout)
            if result == AMQP_STATUS_TIMEOUT.rawValue { break }
            guard result == AMQP_STATUS_OK.rawValue else { throw AMQPLoopError.connection(Self.errorText(result)) }
            count += 1
            try handle(frame)
            if self.connection == nil { break }
        }
        return count
    }

    // MARK: - Stopping

    private func stop() {
        for pending in outbox[outboxHead...] { pending.batch.finish(.shutdown) }
        for case let pending? in inFlight[inFlightHead...] { pending.batch.finish(.shutdown) }
        outbox = []
        outboxHead = 0
        inFlight = []
        inFlightHead = 0
        inFlightCount = 0
        for consumer in consumers.values {
            consumer.acknowledger?.close()
            consumer.started(MessagingError.shutdown)
            consumer.continuation.finish()
        }
        consumers = [:]
        teardown(graceful: true)
        for (_, continuation) in pendingDeclarations { continuation.resume(throwing: MessagingError.shutdown) }
        pendingDeclarations = []
        for command in mailbox.closeAndTakeRemaining() { refuse(command) }
        logger.info("AMQP client stopped", metadata: ["amqp.generation": "\(generation)"])
        for waiter in shutdownWaiters { waiter.resume() }
        shutdownWaiters = []
    }

    // MARK: - Helpers

    /// Throws unless `reply` is a normal reply; answers a broker's close with close-ok.
    func check(_ reply: amqp_rpc_reply_t, channel: UInt16, what: String) throws {
        switch reply.reply_type {
        case AMQP_RESPONSE_NORMAL:
            return
        case AMQP_RESPONSE_SERVER_EXCEPTION:
            var code: UInt16 = 0
            var text = amqp_bytes_t()
            var isChannel: Int32 = 0
            guard pansible_reply_close_reason(reply, &code, &text, &isChannel) == 1 else {
                throw AMQPLoopError.connection("\(what): unexpected server reply")
            }
            let message = String(amqpBytes: text)
            if let connection {
                if isChannel == 1 {
                    let sent = pansible_send_channel_close_ok(connection, channel)
                    guard sent >= 0 else { throw AMQPLoopError.connection(Self.errorText(sent)) }
                    throw AMQPLoopError.channel(code: code, text: message)
                }
                _ = pansible_send_connection_close_ok(connection)
            }
            throw AMQPLoopError.connection("\(what): connection closed by the broker: \(code) \(message)")
        case AMQP_RESPONSE_LIBRARY_EXCEPTION:
            throw AMQPLoopError.connection("\(what): \(Self.errorText(reply.library_error))")
        default:
            throw AMQPLoopError.connection("\(what): no reply")
        }
    }

    /// Runs `body` on the management channel; a channel error reopens the channel and becomes a
    /// `MessagingError.broker`.
    func onManagementChannel<T>(_ body: (amqp_connection_state_t) throws -> T) throws -> T {
        guard let connection else { throw AMQPLoopError.connection("not connected") }
        do {
            return try body(connection)
        } catch AMQPLoopError.channel(let code, let text) {
            try openChannel(Self.managementChannel)
            throw MessagingError.broker("\(code) \(text)")
        }
    }

    static func errorText(_ status: Int32) -> String {
        guard let text = amqp_error_string2(status) else { return "error \(status)" }
        return String(cString: text)
    }
}
