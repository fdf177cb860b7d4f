import Foundation
import Logging
import ServiceLifecycle
import Shared

/// Consumes control messages: a cancel stops the job's running shards here and makes queued ones be
/// acknowledged without running.
struct ControlService: Service {
    let messaging: any WorkerMessaging
    let registry: CancellationRegistry
    let logger: Logger

    func run() async throws {
        let deliveries = try await messaging.control()
        for try await delivery in deliveries.cancelOnGracefulShutdown() {
            await handle(delivery)
        }
    }

    func handle(_ delivery: Delivery) async {
        do {
            let message = try MessageCoding.decode(ControlMessage.self, from: delivery.body)
            switch message.action {
            case .cancel:
                logger.notice("cancelling job", metadata: ["job.uuid": "\(message.jobUUID.uuidString.lowercased())"])
                // Marked before the ack, so queued shards of the job are skipped; stopping the running ones
                // takes up to the grace periods, which the ack does not wait for.
                let controls = await registry.markCanceled(job: message.jobUUID)
                for control in controls {
                    Task { await control.stop(.canceled) }
                }
            }
            try await delivery.ack()
        } catch let error as DecodingError {
            logger.error("undecodable control message rejected", metadata: ["error": "\(error)"])
            try? await delivery.reject()
        } catch {
            logger.warning("cannot settle a control message", metadata: ["error": "\(error)"])
        }
    }
}
