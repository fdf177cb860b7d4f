import Foundation
import Shared
import Testing

@testable import Collector

@Suite struct JobFoldTests {
    /// The state events of batches, with seq in the given order.
    static func stateEvents(_ batches: [EventBatch]) -> (events: [StateEvent], runs: [RunRecord]) {
        var events: [StateEvent] = []
        var runs: [UUID: RunRecord] = [:]
        var seq: Int64 = 0
        for batch in batches {
            if let runID = batch.runID, let index = batch.shardIndex {
                runs[runID] = RunRecord(runID: runID, shardIndex: index, attempt: batch.attempt ?? 1, workerID: batch.workerID)
            }
            for event in batch.events where StateEvent.isStateType(event.type) {
                seq += 1
                events.append(
                    StateEvent(
                        seq: seq, type: event.type, shardIndex: batch.shardIndex, runID: batch.runID, attempt: batch.attempt,
                        timestamp: event.timestamp, data: event.data
                    )
                )
            }
        }
        return (events, Array(runs.values))
    }

    @Test func everyShardFinishedMakesTheJobSuccessful() {
        let scenario = JobScenario(shards: [["a", "b"], ["c"]])
        let (events, runs) = Self.stateEvents(scenario.allBatches())
        let result = JobFold.fold(events: events, runs: runs)
        #expect(result.status == .successful)
        #expect(result.shardCount == 2)
        #expect(result.hostCount == 3)
        #expect(result.shards.map(\.status) == [.successful, .successful])
        #expect(result.shards[0].hosts == ["a", "b"])
        #expect(result.shards[0].summary?["a"]?.ok == 3)
    }

    @Test func aPoolWithoutWorkersIsTheReasonUntilAShardStarts() {
        var scenario = JobScenario(shards: [["a"], ["b"]])
        scenario.notice = "no live worker serves pool 'edge'"
        let (waiting, _) = Self.stateEvents([scenario.split])
        let pending = JobFold.fold(events: waiting, runs: [])
        #expect(!pending.status.isFinished)
        #expect(pending.reason == "no live worker serves pool 'edge'")

        let (events, runs) = Self.stateEvents([scenario.split] + scenario.run(shard: 0).prefix(1))
        #expect(JobFold.fold(events: events, runs: runs).reason == nil)
        let (all, allRuns) = Self.stateEvents(scenario.allBatches())
        let finished = JobFold.fold(events: all, runs: allRuns)
        #expect(finished.status == .successful && finished.reason == nil)
    }

    @Test func aFailedHostMakesTheJobFailed() {
        let scenario = JobScenario(shards: [["a", "b"], ["c"]], failingHosts: ["c"])
        let (events, runs) = Self.stateEvents(scenario.allBatches())
        let result = JobFold.fold(events: events, runs: runs)
        #expect(result.status == .failed)
        #expect(result.shards.map(\.status) == [.successful, .failed])
        #expect(result.shards[1].rc == 2)
    }

    @Test func theJobRunsUntilEveryAnnouncedShardFinished() {
        let scenario = JobScenario(shards: [["a"], ["b"]])
        let (events, runs) = Self.stateEvents([scenario.split] + scenario.run(shard: 0))
        let result = JobFold.fold(events: events, runs: runs)
        #expect(result.status == .running)
        #expect(result.shards.map(\.status) == [.successful, .pending])
    }

    @Test func withoutTheSplitNoJobFinishes() {
        let scenario = JobScenario(shards: [["a"]])
        let (events, runs) = Self.stateEvents(scenario.run(shard: 0))
        let result = JobFold.fold(events: events, runs: runs)
        #expect(result.status == .running)
        #expect(result.shards.map(\.status) == [.successful])
    }

    @Test(arguments: 0..<20) func theOrderOfEventsDoesNotMatter(seed: Int) {
        let scenario = JobScenario(shards: [["a", "b"], ["c"], ["d"]], failingHosts: ["d"])
        let batches = scenario.allBatches()
        let (inOrder, runs) = Self.stateEvents(batches)
        var generator = SeededGenerator(seed: UInt64(seed + 1))
        var shuffled = inOrder.shuffled(using: &generator)
        for index in shuffled.indices { shuffled[index].seq = Int64(index + 1) }
        let expected = JobFold.fold(events: inOrder, runs: runs)
        let result = JobFold.fold(events: shuffled, runs: runs.shuffled(using: &generator))
        #expect(result.status == expected.status)
        #expect(result.shards == expected.shards)
        #expect(result.status == .failed)
    }

    @Test func aLaterAttemptSupersedesAnEarlierOne() {
        let scenario = JobScenario(shards: [["a"]], failingHosts: ["a"])
        let first = scenario.run(shard: 0, attempt: 1)
        var fixed = scenario
        fixed.failingHosts = []
        let second = fixed.run(shard: 0, attempt: 2)
        // The retry's events arrive before the first attempt's end: the first attempt still does not count.
        let (events, runs) = Self.stateEvents([scenario.split] + second + first)
        let result = JobFold.fold(events: events, runs: runs)
        #expect(result.status == .successful)
        #expect(result.shards[0].attempts == 2)
        #expect(result.shards[0].currentAttempt == 2)
        #expect(result.shards[0].summary?["a"]?.failures == 0)
        #expect(Set(result.runs.map(\.status)) == [.failed, .successful])
    }

    @Test func anUnfinishedRetryKeepsTheShardRunning() {
        var scenario = JobScenario(shards: [["a"]])
        scenario.eventsPerBatch = 1
        let first = scenario.run(shard: 0, attempt: 1)
        let retryStart = Array(scenario.run(shard: 0, attempt: 2).prefix(3))
        let (events, runs) = Self.stateEvents([scenario.split] + first + retryStart)
        let result = JobFold.fold(events: events, runs: runs)
        #expect(result.status == .running)
        #expect(result.shards[0].status == .running)
        #expect(result.shards[0].summary == nil)
    }

    @Test func aDeadLetteredShardErrorsTheJob() {
        let scenario = JobScenario(shards: [["a"], ["b"]])
        let deadLetter = EventBatch(
            jobUUID: scenario.jobUUID, source: "collector", shardIndex: 1,
            events: [
                PansibleEvent(
                    id: "shard/1/dead-lettered", type: PipelineEventType.shardError,
                    data: .object(["reason": .string("dead-lettered after 5 deliveries")]))
            ]
        )
        let (events, runs) = Self.stateEvents([scenario.split] + scenario.run(shard: 0) + [deadLetter])
        let result = JobFold.fold(events: events, runs: runs)
        #expect(result.status == .error)
        #expect(result.reason == "shard 1: dead-lettered after 5 deliveries")
        #expect(result.shards[1].status == .error)
    }

    @Test func aFailedSplitErrorsTheJobWithItsReason() {
        let jobUUID = UUID()
        let batch = EventBatch(
            jobUUID: jobUUID, source: "splitter",
            events: [PansibleEvent(id: "failed", type: PipelineEventType.jobFailed, data: .object(["reason": .string("inventory: line 3: bad")]))]
        )
        let (events, runs) = Self.stateEvents([batch])
        let result = JobFold.fold(events: events, runs: runs)
        #expect(result.status == .error)
        #expect(result.reason == "inventory: line 3: bad")
    }

    @Test func aCanceledShardCancelsTheJob() {
        let scenario = JobScenario(shards: [["a"], ["b"]])
        let runID = UUID()
        let canceled = EventBatch(
            jobUUID: scenario.jobUUID, source: "worker", shardIndex: 1, runID: runID, attempt: 1,
            events: [PansibleEvent(id: "shard/1/run/\(runID)/canceled", type: PipelineEventType.shardCanceled)]
        )
        let (events, runs) = Self.stateEvents([scenario.split] + scenario.run(shard: 0) + [canceled])
        #expect(JobFold.fold(events: events, runs: runs).status == .canceled)
    }

    @Test(arguments: [(0, JobStatus.successful), (2, .failed), (4, .failed), (1, .error), (250, .error)])
    func theExitCodeDecidesWithoutFailingHosts(rc: Int, status: JobStatus) {
        let event = StateEvent(
            seq: 1, type: PipelineEventType.shardFinished, timestamp: Date(), data: ShardFinishedData(rc: rc, stats: ["a": HostStats(ok: 1)]).json
        )
        #expect(JobFold.ending(of: event, recap: nil).status == status)
    }
}

/// A deterministic random generator for reproducible shuffles.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
