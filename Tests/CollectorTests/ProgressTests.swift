import Crypto
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import Shared
import TestSupport
import Testing

@testable import Collector

@Suite(.enabled(if: TestServices.available)) struct ProgressTests {
    /// Checks one subscriber's messages: every event exactly once, each run's events in order, then the final status.
    static func verify(_ texts: [String], ids: Set<String>, status: String, hosts: Set<String>, who: String) {
        let messages = CollectorHarness.objects(texts)
        guard let last = messages.last else {
            Issue.record("\(who): no message")
            return
        }
        #expect(last["type"] as? String == "job_finished", "\(who)")
        #expect(last["status"] as? String == status, "\(who)")
        #expect(Set((last["recap"] as? [String: Any])?.keys ?? [:].keys) == hosts, "\(who)")
        // Every message names its job and task (null outside a run) and has a type.
        for message in messages {
            #expect(message["_pansible_job"] is String && message["type"] is String, "\(who): \(message)")
            #expect(message.keys.contains("_pansible_task"), "\(who): \(message["type"] ?? "?") lacks _pansible_task")
        }
        let events = messages.dropLast()
        let received = events.compactMap { $0["id"] as? String }
        #expect(received.count == ids.count, "\(who): \(received.count) events for \(ids.count)")
        #expect(Set(received) == ids, "\(who)")
        var lastCounter: [String: Int] = [:]
        for event in events {
            guard let run = event["_pansible_task"] as? String, let counter = event["counter"] as? Int else { continue }
            #expect(counter > lastCounter[run, default: 0], "\(who): run \(run) counter \(counter) after \(lastCounter[run, default: 0])")
            lastCounter[run] = counter
        }
        #expect(events.contains { $0["type"] as? String == "ok" && $0["target"] as? String != nil && $0["result"] is [String: Any] })
    }

    @Test func subscribersBeforeDuringAndAfterAJobSeeTheWholeStreamOnce() async throws {
        try await CollectorHarness.withServices { amqpURL, databaseURL, box in
            let client = box.client
            let scenario = JobScenario(shards: [["a", "b"], ["c"]], failingHosts: ["c"])
            try await TestDatabase.insertJob(scenario.jobUUID, client: client)
            let first = [scenario.split] + scenario.run(shard: 0)
            let second = scenario.run(shard: 1)
            let ids = Set((first + second).flatMap { $0.events.map(\.id) })
            let hosts: Set<String> = ["a", "b", "c"]
            let storing = try CollectorHarness.configuration(amqpURL: amqpURL, databaseURL: databaseURL)
            let serving = try CollectorHarness.configuration(amqpURL: amqpURL, databaseURL: databaseURL)
            try await CollectorHarness.withCollector(configuration: storing) { a in
                // The second collector stores nothing: its subscriber's live events come only from its own live queue.
                try await CollectorHarness.withCollector(
                    configuration: serving, options: CollectorOptions(ingest: false, statusPollInterval: .milliseconds(200))
                ) { b in
                    try await CollectorHarness.withPublisher(amqpURL: amqpURL) { publisher in
                        let before = Task { try await CollectorHarness.subscribe(port: b.port, job: scenario.jobUUID) }
                        #expect(await TestServices.eventually(timeout: .seconds(60)) { b.metric("pansible_collector_subscribers") == 1 })
                        try await Task.sleep(for: .milliseconds(300))
                        try await publisher.publish(first.map(CollectorHarness.message))
                        let firstCount = first.reduce(0) { $0 + $1.events.count }
                        // Waited for while the count moves (a loaded machine stores slowly).
                        let stored = await TestServices.progress(toward: firstCount) {
                            (try? await TestDatabase.count(client, job: scenario.jobUUID).events) ?? 0
                        }
                        #expect(stored == firstCount, "stored \(stored) of \(firstCount) events, and no more for a minute")
                        let during = Task { try await CollectorHarness.subscribe(port: a.port, job: scenario.jobUUID) }
                        #expect(await TestServices.eventually(timeout: .seconds(60)) { a.metric("pansible_collector_subscribers") == 1 })
                        try await Task.sleep(for: .milliseconds(300))
                        try await publisher.publish(second.map(CollectorHarness.message))
                        let beforeMessages = try await before.value
                        let duringMessages = try await during.value
                        let afterMessages = try await CollectorHarness.subscribe(port: b.port, job: scenario.jobUUID)
                        Self.verify(beforeMessages, ids: ids, status: "failed", hosts: hosts, who: "subscribed before")
                        Self.verify(duringMessages, ids: ids, status: "failed", hosts: hosts, who: "subscribed during")
                        Self.verify(afterMessages, ids: ids, status: "failed", hosts: hosts, who: "subscribed after")
                    }
                }
            }
        }
    }

    /// Events published before a subscriber's live binding and committed only after its first read of the table
    /// reach neither path at once; the session finds them at its next status tick, not only once the job ends.
    @Test func eventsCommittedAfterASessionsFirstReadReachItWhileTheJobRuns() async throws {
        try await CollectorHarness.withServices { amqpURL, databaseURL, box in
            let client = box.client
            let scenario = JobScenario(shards: [["a", "b"], ["c"]])
            try await TestDatabase.insertJob(scenario.jobUUID, client: client)
            let first = [scenario.split] + scenario.run(shard: 0)
            let firstIDs = Set(first.flatMap { $0.events.map(\.id) })
            let second = scenario.run(shard: 1)
            let ids = firstIDs.union(second.flatMap { $0.events.map(\.id) })
            let configuration = try CollectorHarness.configuration(amqpURL: amqpURL, databaseURL: databaseURL)
            // A collector that stores nothing serves the subscriber; the first shard's events wait in the queue meanwhile.
            try await CollectorHarness.withCollector(
                configuration: configuration, options: CollectorOptions(ingest: false, statusPollInterval: .milliseconds(200))
            ) { serving in
                try await CollectorHarness.withPublisher(amqpURL: amqpURL) { publisher in
                    try await publisher.publish(first.map(CollectorHarness.message))
                }
                let received = NIOLockedValueBox<[String]>([])
                let session = Task {
                    try await ProgressSessionTests.subscribe(
                        port: serving.port, job: scenario.jobUUID, token: CollectorHarness.adminToken, into: received)
                }
                defer { session.cancel() }
                #expect(await TestServices.eventually(timeout: .seconds(120)) { serving.metric("pansible_collector_subscribers") == 1 })
                try await Task.sleep(for: .milliseconds(500))
                #expect(received.withLockedValue { $0 }.isEmpty, "nothing is stored yet")
                // Now they are committed, by a collector this subscriber is not connected to.
                try await CollectorHarness.withCollector(configuration: configuration) { _ in
                    let caughtUp = await TestServices.eventually(timeout: .seconds(120)) {
                        let got = Set(CollectorHarness.objects(received.withLockedValue { $0 }).compactMap { $0["id"] as? String })
                        return got == firstIDs
                    }
                    #expect(caughtUp, "the subscriber got \(received.withLockedValue { $0.count }) of \(firstIDs.count) stored events")
                    #expect(!CollectorHarness.objects(received.withLockedValue { $0 }).contains { $0["type"] as? String == "job_finished" })
                    try await CollectorHarness.withPublisher(amqpURL: amqpURL) { publisher in
                        try await publisher.publish(second.map(CollectorHarness.message))
                    }
                    let messages = try await session.value.messages
                    Self.verify(messages, ids: ids, status: "successful", hosts: ["a", "b", "c"], who: "subscriber")
                }
            }
        }
    }

    @Test func aSubscriberNeedsAValidToken() async throws {
        try await CollectorHarness.withServices { amqpURL, databaseURL, box in
            let job = UUID()
            try await TestDatabase.insertJob(job, client: box.client)
            let configuration = try CollectorHarness.configuration(amqpURL: amqpURL, databaseURL: databaseURL)
            try await CollectorHarness.withCollector(configuration: configuration) { collector in
                await #expect(throws: (any Error).self) {
                    _ = try await CollectorHarness.subscribe(port: collector.port, job: job, token: "wrong")
                }
                // An API token from the table (the gateway makes them with the `pst_` prefix) works as well as the admin token.
                let token = "pst_api-token-\(UUID())"
                let hash = [UInt8](Crypto.SHA256.hash(data: Array(token.utf8)))
                try await box.client.query(
                    "INSERT INTO api_tokens (name, token_hash) VALUES ('t', \(ByteBuffer(bytes: hash)))", logger: TestDatabase.logger
                )
                try await box.client.query("UPDATE jobs SET status = 'canceled' WHERE uuid = \(job)", logger: TestDatabase.logger)
                let messages = CollectorHarness.objects(try await CollectorHarness.subscribe(port: collector.port, job: job, token: token))
                #expect(messages.count == 1)
                #expect(messages.last?["type"] as? String == "job_finished")
                #expect(messages.last?["status"] as? String == "canceled")
            }
        }
    }
}

extension ProgressTests {
    /// A token scoped to some environments watches their jobs only: another env's job is refused as if it did not
    /// exist, whatever the token's role.
    @Test func aSubscriberWatchesTheJobsOfItsTokensEnvsOnly() async throws {
        try await CollectorHarness.withServices { amqpURL, databaseURL, box in
            let (alpha, beta) = (UUID(), UUID())
            try await TestDatabase.insertJob(alpha, env: "alpha", client: box.client)
            try await TestDatabase.insertJob(beta, env: "beta", client: box.client)
            try await box.client.query("UPDATE jobs SET status = 'successful' WHERE uuid IN (\(alpha), \(beta))", logger: TestDatabase.logger)
            let token = "pst_viewer-\(UUID())"
            let hash = ByteBuffer(bytes: [UInt8](Crypto.SHA256.hash(data: Array(token.utf8))))
            try await box.client.query(
                "INSERT INTO api_tokens (name, token_hash, role, envs) VALUES ('viewer-alpha', \(hash), 'viewer', '{alpha}')",
                logger: TestDatabase.logger
            )
            let configuration = try CollectorHarness.configuration(amqpURL: amqpURL, databaseURL: databaseURL)
            try await CollectorHarness.withCollector(configuration: configuration) { collector in
                let watched = CollectorHarness.objects(try await CollectorHarness.subscribe(port: collector.port, job: alpha, token: token))
                #expect(watched.last?["type"] as? String == "job_finished")
                await #expect(throws: (any Error).self) {
                    _ = try await CollectorHarness.subscribe(port: collector.port, job: beta, token: token)
                }
                // The admin token watches both.
                let admin = CollectorHarness.objects(try await CollectorHarness.subscribe(port: collector.port, job: beta))
                #expect(admin.last?["type"] as? String == "job_finished")
            }
        }
    }
}

@Suite struct ProgressSubscriptionTests {
    @Test func aSubscriberPastItsBufferIsLagging() async {
        let subscription = ProgressSubscription(jobUUID: UUID(), buffer: 10)
        for index in 0..<10 {
            #expect(subscription.send(.event(LiveEvent(id: "\(index)", text: "{}"))))
        }
        #expect(!subscription.isLagging)
        #expect(!subscription.send(.event(LiveEvent(id: "10", text: "{}"))))
        #expect(subscription.isLagging)
    }
}
