import Crypto
import Foundation
import HummingbirdWSClient
import NIOConcurrencyHelpers
import NIOCore
import PostgresNIO
import Shared
import TestSupport
import Testing

@testable import Collector

/// Live progress sessions end when their token is revoked or when they fall behind, and hold bounded memory.
@Suite(.enabled(if: TestServices.available)) struct ProgressSessionTests {
    struct Received: Sendable {
        var messages: [String]
        var close: WebSocketCloseFrame?
    }

    /// Subscribes and collects every message; `beforeReading` runs once connected, before the first read.
    static func subscribe(
        port: Int, job: UUID, token: String, into messages: NIOLockedValueBox<[String]> = NIOLockedValueBox([]),
        beforeReading: @escaping @Sendable () async -> Void = {}
    ) async throws -> Received {
        let url = "ws://127.0.0.1:\(port)/api/v1/job/progress/\(job.uuidString.lowercased())?token=\(token)"
        let close = try await WebSocketClient.connect(
            url: url, configuration: WebSocketClientConfiguration(maxFrameSize: 1 << 24), logger: CollectorHarness.logger
        ) { inbound, _, _ in
            await beforeReading()
            for try await message in inbound.messages(maxSize: 1 << 26) {
                if case .text(let text) = message { messages.withLockedValue { $0.append(text) } }
            }
        }
        return Received(messages: messages.withLockedValue { $0 }, close: close)
    }

    /// Opens once `open` is called; waiting never blocks a thread.
    final class Gate: Sendable {
        private let state = NIOLockedValueBox<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

        func wait() async {
            await withCheckedContinuation { continuation in
                let resume = state.withLockedValue { state -> Bool in
                    if state.open { return true }
                    state.waiters.append(continuation)
                    return false
                }
                if resume { continuation.resume() }
            }
        }

        func open() {
            let waiters = state.withLockedValue { state in
                state.open = true
                defer { state.waiters = [] }
                return state.waiters
            }
            for waiter in waiters { waiter.resume() }
        }
    }

    static func insertToken(_ token: String, client: PostgresClient) async throws {
        let hash = ByteBuffer(bytes: [UInt8](SHA256.hash(data: Array(token.utf8))))
        try await client.query("INSERT INTO api_tokens (name, token_hash) VALUES ('live', \(hash))", logger: TestDatabase.logger)
    }

    @Test func aSessionEndsOnceItsTokenIsRevoked() async throws {
        try await CollectorHarness.withServices { amqpURL, databaseURL, box in
            let client = box.client
            let scenario = JobScenario(shards: [["a"], ["b"]])
            try await TestDatabase.insertJob(scenario.jobUUID, client: client)
            let token = "pst_live-\(UUID())"
            try await Self.insertToken(token, client: client)
            let configuration = try CollectorHarness.configuration(
                amqpURL: amqpURL, databaseURL: databaseURL, extra: ["collector.token_recheck_ms": "100"])
            try await CollectorHarness.withCollector(configuration: configuration) { collector in
                let session = Task { try await Self.subscribe(port: collector.port, job: scenario.jobUUID, token: token) }
                #expect(await TestServices.eventually(timeout: .seconds(120)) { collector.metric("pansible_collector_subscribers") == 1 })
                // The job runs (one shard of two reported), so the stream would go on.
                try await CollectorHarness.withPublisher(amqpURL: amqpURL) { publisher in
                    try await publisher.publish(([scenario.split] + scenario.run(shard: 0)).map(CollectorHarness.message))
                }
                try await client.query("UPDATE api_tokens SET revoked_at = now() WHERE name = 'live'", logger: TestDatabase.logger)
                let ended = await TestServices.eventually(timeout: .seconds(120)) {
                    collector.metric("pansible_collector_subscribers") == 0
                }
                #expect(ended, "the session of a revoked token should end")
                // Not waited for when it did not end: the collector's shutdown, next, ends it.
                guard ended else { return session.cancel() }
                let received = try await session.value
                let last = CollectorHarness.objects(received.messages).last
                #expect(last?["type"] as? String == "token_revoked")
                #expect(received.close?.closeCode == .policyViolation)
                #expect(received.close?.reason == "token revoked")
                #expect(collector.metric("pansible_collector_revoked_sessions_total") == 1)
                // A new session with the revoked token is refused.
                await #expect(throws: (any Error).self) {
                    _ = try await Self.subscribe(port: collector.port, job: scenario.jobUUID, token: token)
                }
            }
        }
    }

    @Test func aSubscriberThatStopsReadingIsDroppedWhileTheOthersGetEverything() async throws {
        try await CollectorHarness.withServices { amqpURL, databaseURL, box in
            let client = box.client
            // Enough output that the stalled subscriber's socket fills and its session's writes block, then more than
            // its buffer behind that; the reading subscriber's buffer holds more than the whole job, so it cannot lag.
            let scenario = JobScenario(shards: [["a", "b"], ["c", "d"], ["e", "f"], ["g", "h"]], tasks: 150)
            let stdout = String(repeating: "x", count: 32 * 1024)
            let batches = [scenario.split] + scenario.shards.indices.flatMap { scenario.run(shard: $0, stdout: { _ in stdout }) }
            let ids = Set(batches.flatMap { $0.events.map(\.id) })
            try await TestDatabase.insertJob(scenario.jobUUID, client: client)
            let configuration = try CollectorHarness.configuration(
                amqpURL: amqpURL, databaseURL: databaseURL, extra: ["collector.subscriber_buffer": "300", "collector.live_prefetch": "8"])
            try await CollectorHarness.withCollector(configuration: configuration) { collector in
                let gate = Gate()
                let stalled = Task {
                    try await Self.subscribe(port: collector.port, job: scenario.jobUUID, token: CollectorHarness.adminToken) { await gate.wait() }
                }
                let received = NIOLockedValueBox<[String]>([])
                let reading = Task {
                    try await Self.subscribe(port: collector.port, job: scenario.jobUUID, token: CollectorHarness.adminToken, into: received)
                }
                // Whatever fails below, neither client is left waiting.
                defer {
                    gate.open()
                    stalled.cancel()
                    reading.cancel()
                }
                #expect(await TestServices.eventually(timeout: .seconds(120)) { collector.metric("pansible_collector_subscribers") == 2 })
                // Published a part at a time, each once the reading subscriber has it all, so only the stalled one falls behind.
                try await CollectorHarness.withPublisher(amqpURL: amqpURL) { publisher in
                    var published = 0
                    for start in stride(from: 0, to: batches.count, by: 20) {
                        let part = Array(batches[start..<min(start + 20, batches.count)])
                        try await publisher.publish(part.map(CollectorHarness.message))
                        published += part.reduce(0) { $0 + $1.events.count }
                        // Waited for as long as it moves: a loaded machine is slow, a stuck session is not moving.
                        let got = await TestServices.progress(toward: published) { received.withLockedValue { $0.count } }
                        try #require(got >= published, "the reading subscriber got \(got) of \(published) events, and no more for a minute")
                    }
                }
                let complete = try await reading.value
                ProgressTests.verify(
                    complete.messages, ids: ids, status: "successful", hosts: Set(scenario.shards.flatMap { $0 }), who: "reading subscriber")
                // The stalled subscriber's session ends although it never reads.
                let dropped = await TestServices.eventually(timeout: .seconds(120)) {
                    collector.metric("pansible_collector_subscribers") == 0
                }
                #expect(dropped, "the stalled subscriber's session should be closed")
                #expect(collector.metric("pansible_collector_lagging_subscribers_total") == 1)
                gate.open()
                let partial = try await stalled.value
                let types = CollectorHarness.objects(partial.messages).compactMap { $0["type"] as? String }
                #expect(!types.contains("job_finished"))
                #expect(partial.messages.count < ids.count)
            }
        }
    }

    /// A subscriber that stops reading cannot hold up the collector's shutdown: every session ends at once, the
    /// reading subscriber's as well as the stalled one's, before the job's end.
    @Test func aCollectorShutsDownWhileASubscriberStopsReading() async throws {
        try await CollectorHarness.withServices { amqpURL, databaseURL, box in
            let client = box.client
            let scenario = JobScenario(shards: [["a", "b"], ["c", "d"]], tasks: 150)
            let stdout = String(repeating: "x", count: 32 * 1024)
            let batches = [scenario.split] + scenario.shards.indices.flatMap { scenario.run(shard: $0, stdout: { _ in stdout }) }
            let total = batches.reduce(0) { $0 + $1.events.count }
            try await TestDatabase.insertJob(scenario.jobUUID, client: client)
            // A buffer larger than the job: the session is never dropped as lagging, it stays stuck writing.
            let configuration = try CollectorHarness.configuration(
                amqpURL: amqpURL, databaseURL: databaseURL, extra: ["collector.subscriber_buffer": "100000"])
            let gate = Gate()
            defer { gate.open() }
            let subscriber = NIOLockedValueBox<Task<Received, any Error>?>(nil)
            let stalledMessages = NIOLockedValueBox<[String]>([])
            let reader = NIOLockedValueBox<Task<Received, any Error>?>(nil)
            let readMessages = NIOLockedValueBox<[String]>([])
            let bodyDone = NIOLockedValueBox(false)
            let stopped = NIOLockedValueBox(false)
            let run = Task {
                try await CollectorHarness.withCollector(configuration: configuration) { collector in
                    subscriber.withLockedValue {
                        $0 = Task {
                            try await Self.subscribe(
                                port: collector.port, job: scenario.jobUUID, token: CollectorHarness.adminToken, into: stalledMessages
                            ) {
                                await gate.wait()
                            }
                        }
                    }
                    reader.withLockedValue {
                        $0 = Task {
                            try await Self.subscribe(
                                port: collector.port, job: scenario.jobUUID, token: CollectorHarness.adminToken, into: readMessages)
                        }
                    }
                    #expect(await TestServices.eventually(timeout: .seconds(120)) { collector.metric("pansible_collector_subscribers") == 2 })
                    try await CollectorHarness.withPublisher(amqpURL: amqpURL) { publisher in
                        // All but the last shard's end, so the job is still running at shutdown.
                        try await publisher.publish(batches.dropLast().map(CollectorHarness.message))
                    }
                    let expected = total - batches[batches.count - 1].events.count
                    let stored = await TestServices.progress(toward: expected) {
                        (try? await TestDatabase.count(client, job: scenario.jobUUID).events) ?? 0
                    }
                    #expect(stored == expected, "stored \(stored) of \(expected) events, and no more for a minute")
                    bodyDone.withLockedValue { $0 = true }
                }
                stopped.withLockedValue { $0 = true }
            }
            #expect(await TestServices.eventually(timeout: .seconds(600)) { bodyDone.withLockedValue { $0 } || stopped.withLockedValue { $0 } })
            // Well inside the service group's own 30 s bound, which would otherwise end the wait.
            let shutDown = await TestServices.eventually(timeout: .seconds(20)) { stopped.withLockedValue { $0 } }
            #expect(shutDown, "the collector should shut down while a subscriber does not read")
            gate.open()
            try await run.value
            // Each subscriber's connection ends with a close, or with a reset when the collector goes with data
            // still unread: either way it ends, short of the job's end.
            _ = try? await subscriber.withLockedValue { $0 }?.value
            _ = try? await reader.withLockedValue { $0 }?.value
            #expect(stalledMessages.withLockedValue { $0.count } < total)
            let types = CollectorHarness.objects(readMessages.withLockedValue { $0 }).compactMap { $0["type"] as? String }
            #expect(!types.contains("job_finished"))
        }
    }

    @Test func theLiveQueueIsConsumedWithAcksAndABoundedPrefetch() async throws {
        try await CollectorHarness.withServices { amqpURL, databaseURL, _ in
            let configuration = try CollectorHarness.configuration(
                amqpURL: amqpURL, databaseURL: databaseURL, extra: ["collector.live_prefetch": "37"])
            try await CollectorHarness.withCollector(configuration: configuration) { _ in
                let vhost = String(try #require(URLComponents(string: amqpURL)).path.dropFirst())
                // Two server-named queues: the live queue and the workers' heartbeats (auto-ack, for the sweeper).
                var named: [Substring] = []
                let found = await TestServices.eventually(timeout: .seconds(120)) {
                    let lines = (try? await Self.listConsumers(vhost: vhost)) ?? []
                    named = lines.filter { $0.hasPrefix("amq.gen-") }
                    return named.count == 2
                }
                #expect(found, "the live and heartbeat queues have a consumer each: \(named)")
                let fields = named.map { Array($0.split(separator: "\t").dropFirst()) }
                #expect(fields.contains(["true", "37"]), "the live queue's consumer acks with a prefetch of 37: \(named)")
                #expect(fields.contains(["false", "0"]), "the heartbeats' consumer: \(named)")
            }
        }
    }

    /// `queue_name ack_required prefetch_count` of the vhost's consumers, one line each.
    static func listConsumers(vhost: String) async throws -> [Substring] {
        try await TestServices.runServicesScript(["list-consumers", vhost]).split(separator: "\n")
    }
}

@Suite struct SentEventsTests {
    @Test func aRunsCountersAreKeptAsRanges() {
        var sent = SentEvents()
        let run = UUID()
        for counter in (1...10_000).reversed() where counter % 2 == 0 {
            let inserted = sent.insert(id: "e\(counter)", runID: run, counter: counter)
            #expect(inserted)
        }
        for counter in 1...10_000 where counter % 2 == 1 {
            let inserted = sent.insert(id: "e\(counter)", runID: run, counter: counter)
            #expect(inserted)
        }
        let again = sent.insert(id: "again", runID: run, counter: 5_000)
        #expect(!again)
        #expect(sent.contains(id: "x", runID: run, counter: 1))
        #expect(!sent.contains(id: "x", runID: run, counter: 10_001))
        #expect(!sent.contains(id: "x", runID: UUID(), counter: 1))
        #expect(sent.count == 10_000)
        #expect(sent.footprint == 1)
    }

    @Test func eventsWithoutARunAreKeptById() {
        var sent = SentEvents()
        let first = sent.insert(id: "split", runID: nil, counter: nil)
        let again = sent.insert(id: "split", runID: nil, counter: nil)
        let report = sent.insert(id: "shard/0/events-lost", runID: UUID(), counter: nil)
        #expect(first && !again && report)
        #expect(sent.contains(id: "split", runID: nil, counter: nil))
        #expect(sent.footprint == 2)
    }
}
