import Shared

/// A publisher for a build without a broker client: every publish fails, so the outbox keeps every message
/// until a gateway with a broker connection relays it.
struct UnavailablePublisher: MessagePublishing {
    func publish(_ messages: [OutgoingMessage]) async throws {
        throw MessagingError.broker("no broker client in this build")
    }
}
