import Foundation
import Shared
import Testing

@testable import Collector

/// Reports of lost (dead-lettered) events in the fold, and which database errors a writer waits out.
@Suite struct LossReportTests {
    static func report(_ scenario: JobScenario, shard: Int, runID: UUID?) throws -> EventBatch {
        var batch = try #require(scenario.run(shard: shard, runID: runID ?? UUID()).first)
        batch.runID = runID
        let incoming = try IncomingBatch(batch: batch)
        let rows = BatchWriter.lossReport(of: incoming, refused: [incoming.rows[1]])
        let report = try #require(rows.first)
        #expect(rows.count == 1)
        #expect(report.rows.map(\.type) == [PipelineEventType.shardError])
        return EventBatch(
            jobUUID: scenario.jobUUID, source: "collector", shardIndex: shard, runID: runID, attempt: batch.attempt,
            events: [
                PansibleEvent(
                    id: report.rows[0].eventID, type: PipelineEventType.shardError,
                    data: .object(["reason": .string(StateEvent.eventsLostReason), "events_lost": .bool(true)]))
            ]
        )
    }

    @Test func aRunWhoseEndIsLostEndsAsError() throws {
        let scenario = JobScenario(shards: [["a"], ["b"]])
        let runID = UUID()
        var second = scenario.run(shard: 1, runID: runID)
        second.removeLast()  // shard_finished lost
        let batches = [scenario.split] + scenario.run(shard: 0) + second + [try Self.report(scenario, shard: 1, runID: runID)]
        let (events, runs) = JobFoldTests.stateEvents(batches)
        let result = JobFold.fold(events: events, runs: runs)
        #expect(result.status == .error)
        #expect(result.reason == "shard 1: events lost: dead-lettered")
    }

    @Test(arguments: [false, true])
    func aRunThatReportedItsEndKeepsIt(reportFirst: Bool) throws {
        let scenario = JobScenario(shards: [["a"]])
        let runID = UUID()
        let report = try Self.report(scenario, shard: 0, runID: runID)
        let run = scenario.run(shard: 0, runID: runID)
        let batches = reportFirst ? [scenario.split, report] + run : [scenario.split] + run + [report]
        let (events, runs) = JobFoldTests.stateEvents(batches)
        let result = JobFold.fold(events: events, runs: runs)
        #expect(result.status == .successful)
        #expect(result.reason == "shard 0: events lost: dead-lettered")
        #expect(result.shards[0].reason == StateEvent.eventsLostReason)
    }

    @Test func theSplitsCommitIsFolded() {
        let scenario = JobScenario(shards: [["a"]], commit: "abc123")
        let (events, runs) = JobFoldTests.stateEvents([scenario.split])
        #expect(JobFold.fold(events: events, runs: runs).commit == "abc123")
    }

    @Test(arguments: [
        ("08006", true), ("40001", true), ("40P01", true), ("53300", true), ("57P01", true), ("57P03", true),
        ("22P02", false), ("23505", false), ("54000", false), ("42P01", false), ("57014", false), ("XX000", false),
    ])
    func transientStatesAreWaitedOut(state: String, transient: Bool) {
        #expect(BatchWriter.isTransient(sqlState: state) == transient)
    }

    @Test func errorsWithoutAStateAreWaitedOut() {
        #expect(!BatchWriter.isPermanent(CancellationError()))
    }
}

@Suite struct DeadLetterKeyTests {
    static func delivery(messageID: String?, routingKey: String, body: String) -> Delivery {
        Delivery(
            body: Array(body.utf8), messageID: messageID, exchange: Topology.deadLetterExchange, routingKey: routingKey, deliveryTag: 1,
            deliveryCount: 0, redelivered: false, headers: [:], acknowledger: RecordingAcknowledger()
        )
    }

    @Test func aMessageIsKeyedByItsIdOrItsBody() {
        let job = UUID()
        let named = DeadLetter(delivery: Self.delivery(messageID: "m1", routingKey: "x", body: "a"), jobUUID: nil, reason: "r")
        #expect(named.key == "m1")
        #expect(named.jobUUID == nil)
        let anonymous = DeadLetter(
            delivery: Self.delivery(messageID: nil, routingKey: "job.\(job.uuidString.lowercased()).worker", body: "a"), jobUUID: nil, reason: "r")
        #expect(anonymous.key == "sha256:ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb")
        #expect(anonymous.jobUUID == job)
        let event = DeadLetter(delivery: Self.delivery(messageID: "m1", routingKey: "x", body: "a"), jobUUID: job, eventID: "e7", reason: "r")
        #expect(event.key == "m1#e7")
        #expect(event.eventID == "e7")
    }
}
