import Foundation
import Shared

/// Records what is published, decoding event batches; can refuse publishes (a broker that is away) to
/// exercise retries. Pure bookkeeping for tests of the run logic; broker tests use RabbitMQ.
actor RecordingPublisher: MessagePublishing {
    private(set) var messages: [OutgoingMessage] = []
    private(set) var refused = 0
    var refusing = false

    func setRefusing(_ value: Bool) { refusing = value }

    func publish(_ messages: [OutgoingMessage]) async throws {
        if refusing {
            refused += 1
            throw MessagingError.broker("connection refused")
        }
        self.messages.append(contentsOf: messages)
    }

    func batches() throws -> [EventBatch] {
        try messages.map { try MessageCoding.decode(EventBatch.self, from: $0.body) }
    }

    func events() throws -> [PansibleEvent] {
        try batches().flatMap(\.events)
    }
}
