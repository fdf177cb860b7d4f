import Foundation
import Logging
import Shared

/// One subscriber's stream: every stored event in order, then the live ones, each exactly once, then the
/// job's final status.
///
/// The seam has no gap: the live binding is in place before stored events are read, live events that arrive
/// meanwhile wait in the subscription, and events already sent are skipped by id. Because another collector
/// may commit an event after this session read the table, the final status is sent only after a last pass
/// over the stored ids sends anything still missing.
struct ProgressSession: Sendable {
    let jobUUID: UUID
    let hub: ProgressHub
    let store: ProgressStore
    let buffer: Int
    let logger: Logger
    /// Sends one text message; throws when the socket is gone.
    let send: @Sendable (String) async throws -> Void

    static let pageSize = 1000

    private final class State {
        var sent = Set<String>()
        var lastSeq: Int64 = 0
    }

    func run() async throws {
        let subscription = try await hub.subscribe(jobUUID: jobUUID)
        do {
            try await stream(subscription)
        } catch {
            await hub.unsubscribe(subscription)
            throw error
        }
        await hub.unsubscribe(subscription)
    }

    private func stream(_ subscription: ProgressSubscription) async throws {
        let state = State()
        try await sendStored(after: state)
        if try await finishIfDone(state) { return }
        for await signal in subscription.signals {
            if subscription.isLagging { break }
            switch signal {
            case .event(let event):
                if state.sent.insert(event.id).inserted {
                    try await send(event.text)
                }
            case .checkStatus:
                if try await finishIfDone(state) { return }
            }
        }
        if subscription.isLagging {
            try await send(ProgressMessage.text(ProgressMessage.lagging(jobUUID: jobUUID, buffer: buffer)))
        }
    }

    private func sendStored(after state: State) async throws {
        while true {
            let page = try await store.events(jobUUID: jobUUID, after: state.lastSeq, limit: Self.pageSize)
            for event in page {
                state.lastSeq = event.seq
                if state.sent.insert(event.id).inserted {
                    try await send(event.text)
                }
            }
            if page.count < Self.pageSize { return }
        }
    }

    /// Sends what is still missing and the final message when the job's stored status is final.
    private func finishIfDone(_ state: State) async throws -> Bool {
        guard let (status, reason) = try await store.status(jobUUID: jobUUID), status.isFinished else { return false }
        try await sendStored(after: state)
        let missing = try await store.eventIDs(jobUUID: jobUUID).filter { !state.sent.contains($0) }
        if !missing.isEmpty {
            for event in try await store.events(jobUUID: jobUUID, ids: missing) where state.sent.insert(event.id).inserted {
                try await send(event.text)
            }
        }
        let recap = try await store.recap(jobUUID: jobUUID)
        try await send(ProgressMessage.text(ProgressMessage.jobFinished(jobUUID: jobUUID, status: status, reason: reason, recap: recap)))
        logger.debug("progress stream finished", metadata: ["job.uuid": "\(jobUUID)", "events.sent": "\(state.sent.count)"])
        return true
    }
}
