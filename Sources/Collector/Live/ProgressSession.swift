import Foundation
import Logging
import Shared

/// One subscriber's stream: every stored event in order, then the live ones, each exactly once, then the
/// job's final status.
///
/// The seam has no gap: the live binding is in place before stored events are read, live events that arrive
/// meanwhile wait in the subscription, and events already sent are skipped (`SentEvents`, by run and counter,
/// so the record stays small however long the job). An event published before the binding but committed after
/// the first read reaches neither path, so on every status tick the session also reads the keys committed since
/// its last look and sends those the live path never queued (each key is read once per session); it does so at
/// once when a live event arrives whose run's previous event was not sent, so that such an event, if committed
/// by then, keeps its place in its run's order. Because commits may land
/// out of `seq` order, the final status is sent only after a last pass over all the stored keys, page by page,
/// sends anything still missing.
///
/// A subscriber that falls more than `buffer` messages behind is told (`lagging`) and the session ends at
/// once, even while a write to its socket is stuck.
struct ProgressSession: Sendable {
    let jobUUID: UUID
    let hub: ProgressHub
    let store: ProgressStore
    let buffer: Int
    let logger: Logger
    /// Sends one text message; throws when the socket is gone.
    let send: @Sendable (String) async throws -> Void

    static let pageSize = 1000
    /// How long the `lagging` message may take to reach a subscriber that stopped reading.
    static let laggingNoticeTimeout: Duration = .seconds(2)

    /// How a session ended.
    enum End: Sendable, Equatable {
        /// `job_finished` was sent.
        case finished
        /// The subscriber fell behind and was told.
        case lagging
    }

    /// What this session has sent so far; lives in the streaming task.
    private final class State {
        var sent = SentEvents()
        /// The last event read whole.
        var lastSeq: Int64 = 0
        /// The last key looked at by a catch-up pass.
        var lastKeySeq: Int64 = 0
    }

    private enum Step: Sendable {
        case streamed(End)
        case lagged
        case watchEnded
    }

    func run() async throws -> End {
        let subscription = try await hub.subscribe(jobUUID: jobUUID)
        do {
            let end = try await withThrowingTaskGroup(of: Step.self) { group in
                group.addTask { .streamed(try await stream(subscription)) }
                group.addTask {
                    for await _ in subscription.lagged { return .lagged }
                    return .watchEnded
                }
                while let step = try await group.next() {
                    switch step {
                    case .watchEnded: continue
                    case .streamed(let end):
                        group.cancelAll()
                        return end
                    case .lagged:
                        group.cancelAll()
                        return End.lagging
                    }
                }
                return End.finished
            }
            await hub.unsubscribe(subscription)
            if end == .lagging {
                logger.notice("progress subscriber fell behind; telling it and closing", metadata: ["job.uuid": "\(jobUUID)"])
                let text = ProgressMessage.text(ProgressMessage.lagging(jobUUID: jobUUID, buffer: buffer))
                let send = self.send
                try? await AbandonableTask.run({ try await send(text) }, timeout: Self.laggingNoticeTimeout) { CancellationError() }
            }
            return end
        } catch {
            await hub.unsubscribe(subscription)
            throw error
        }
    }

    private func stream(_ subscription: ProgressSubscription) async throws -> End {
        let state = State()
        try await sendStored(after: state)
        if try await finishIfDone(state) { return .finished }
        for await signal in subscription.signals {
            if subscription.isLagging { break }
            switch signal {
            case .event(let event):
                if state.sent.contains(id: event.id, runID: event.runID, counter: event.counter) { continue }
                if !state.sent.hasSentPredecessor(runID: event.runID, counter: event.counter) {
                    // An earlier event of its run was not sent: if it was committed without ever being queued here,
                    // it goes first, so that a run's events keep their order.
                    state.lastKeySeq = try await sendMissing(
                        after: max(state.lastKeySeq, state.lastSeq), state, skippingQueuedIn: subscription)
                }
                if state.sent.insert(id: event.id, runID: event.runID, counter: event.counter) {
                    try await send(event.text)
                }
            case .checkStatus:
                if try await finishIfDone(state) { return .finished }
                state.lastKeySeq = try await sendMissing(after: max(state.lastKeySeq, state.lastSeq), state, skippingQueuedIn: subscription)
            }
        }
        try Task.checkCancellation()
        return subscription.isLagging ? .lagging : .finished
    }

    private func sendStored(after state: State) async throws {
        while true {
            let page = try await store.events(jobUUID: jobUUID, after: state.lastSeq, limit: Self.pageSize)
            for event in page {
                state.lastSeq = event.seq
                if state.sent.insert(id: event.id, runID: event.runID, counter: event.counter) {
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
        // Events committed after this session read past them are found by walking all the job's keys once more.
        _ = try await sendMissing(after: 0, state)
        let recap = try await store.recap(jobUUID: jobUUID)
        try await send(ProgressMessage.text(ProgressMessage.jobFinished(jobUUID: jobUUID, status: status, reason: reason, recap: recap)))
        logger.debug(
            "progress stream finished",
            metadata: ["job.uuid": "\(jobUUID)", "events.sent": "\(state.sent.count)", "session.sent_footprint": "\(state.sent.footprint)"]
        )
        return true
    }

    /// Walks the job's keys after `seq`, a page at a time, sends the events not sent yet (nor, given a
    /// subscription, queued in it), and returns the last key's `seq`.
    private func sendMissing(after seq: Int64, _ state: State, skippingQueuedIn subscription: ProgressSubscription? = nil) async throws -> Int64 {
        var seq = seq
        while true {
            let keys = try await store.keys(jobUUID: jobUUID, after: seq, limit: Self.pageSize)
            let missing = keys.filter { key in
                !state.sent.contains(id: key.id, runID: key.runID, counter: key.counter)
                    && subscription?.hasQueued(id: key.id, runID: key.runID, counter: key.counter) != true
            }.map(\.id)
            if !missing.isEmpty {
                for event in try await store.events(jobUUID: jobUUID, ids: missing)
                where state.sent.insert(id: event.id, runID: event.runID, counter: event.counter) {
                    try await send(event.text)
                }
            }
            if let last = keys.last { seq = last.seq }
            if keys.count < Self.pageSize { return seq }
        }
    }
}
