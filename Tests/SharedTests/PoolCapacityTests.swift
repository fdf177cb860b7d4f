import Foundation
import Shared
import Testing

@Suite struct PoolCapacityTests {
    static func heartbeat(_ id: String, pool: String = "default", slots: Int = 2, running: Int = 0, stopping: Bool = false) -> WorkerHeartbeat {
        WorkerHeartbeat(workerID: id, pool: pool, slots: slots, running: running, interval: 2, stopping: stopping)
    }

    @Test func sumsTheLiveWorkersOfAPool() async {
        let start = ContinuousClock.now
        let capacity = PoolCapacity(warmUp: .zero, startedAt: start)
        await capacity.record(Self.heartbeat("a", slots: 2, running: 1), at: start)
        await capacity.record(Self.heartbeat("b", slots: 4), at: start)
        await capacity.record(Self.heartbeat("c", pool: "edge", slots: 1), at: start)
        #expect(await capacity.live(pool: "default", at: start) == .init(workers: 2, slots: 6, free: 5))
        #expect(await capacity.live(pool: "edge", at: start) == .init(workers: 1, slots: 1, free: 1))
        #expect(await capacity.live(pool: "other", at: start) == .empty)
    }

    @Test func forgetsSilentAndStoppingWorkers() async {
        let start = ContinuousClock.now
        let capacity = PoolCapacity(warmUp: .zero, startedAt: start)
        await capacity.record(Self.heartbeat("a"), at: start)
        await capacity.record(Self.heartbeat("b"), at: start)
        // Interval 2 s: silent for 2.5 intervals and a second, a worker is gone.
        await capacity.record(Self.heartbeat("b"), at: start + .seconds(5))
        #expect(await capacity.live(pool: "default", at: start + .seconds(5.5)) == .init(workers: 2, slots: 4, free: 4))
        #expect(await capacity.live(pool: "default", at: start + .seconds(6.5)) == .init(workers: 1, slots: 2, free: 2))
        await capacity.record(Self.heartbeat("b", stopping: true), at: start + .seconds(7))
        #expect(await capacity.live(pool: "default", at: start + .seconds(7)) == .empty)
    }

    @Test func aNewSplitterListensBeforeConcludingAPoolIsEmpty() async {
        // Asked at once, a new splitter waits for the worker's first heartbeat instead of answering "no worker";
        // the warm-up is long enough that only the heartbeat can end the wait.
        let capacity = PoolCapacity(warmUp: .seconds(600))
        let late = Task { await capacity.record(Self.heartbeat("a", slots: 3)) }
        #expect(await capacity.snapshot(pool: "default").slots == 3)
        _ = await late.result
        // Once the warm-up is over, an empty pool is answered at once.
        let warm = PoolCapacity(warmUp: .seconds(1), startedAt: .now - .seconds(10))
        #expect(await warm.snapshot(pool: "edge") == .empty)
    }

    /// A worker cut off from the broker hears no heartbeat, its own included: until the heartbeats are back
    /// and have had a warm-up to arrive, an absent one proves no worker dead.
    @Test func aSilenceOfEveryWorkerIsNotTakenForTheirDeath() async {
        let start = ContinuousClock.now
        let capacity = PoolCapacity(warmUp: .seconds(6), startedAt: start)
        #expect(await !capacity.isWarm(at: start + .seconds(5)))
        await capacity.record(Self.heartbeat("self"), at: start + .seconds(5))
        await capacity.record(Self.heartbeat("other"), at: start + .seconds(6))
        #expect(await capacity.isWarm(at: start + .seconds(7)))
        // The broker is away from 7 s to 30 s: nothing is heard, so nothing can be concluded.
        #expect(await !capacity.isWarm(at: start + .seconds(20)))
        #expect(await !capacity.isLive(workerID: "other", at: start + .seconds(20)))
        // Back at 30 s: this worker hears itself first; the other's heartbeat may take an interval.
        await capacity.record(Self.heartbeat("self"), at: start + .seconds(30))
        #expect(await !capacity.isWarm(at: start + .seconds(31)))
        await capacity.record(Self.heartbeat("other"), at: start + .seconds(32))
        #expect(await capacity.isLive(workerID: "other", at: start + .seconds(33)))
        await capacity.record(Self.heartbeat("self"), at: start + .seconds(34))
        #expect(await capacity.isWarm(at: start + .seconds(36)))
    }
}

extension PoolCapacityTests {
    static func sized(_ id: String, host: String, slots: Int, cpus: Double, machine: Int) -> WorkerHeartbeat {
        WorkerHeartbeat(workerID: id, pool: "default", slots: slots, running: 0, interval: 2, host: host, cpus: cpus, machineCPUs: machine)
    }

    /// Two workers without a quota on a 2-core machine each see 2 cores: together they have 2 slots, not 4.
    @Test func workersOfOneMachineShareItsCores() async {
        let start = ContinuousClock.now
        let capacity = PoolCapacity(warmUp: .zero, startedAt: start)
        await capacity.record(Self.sized("a", host: "box", slots: 2, cpus: 2, machine: 2), at: start)
        await capacity.record(Self.sized("b", host: "box", slots: 2, cpus: 2, machine: 2), at: start)
        await capacity.record(Self.sized("c", host: "other", slots: 4, cpus: 4, machine: 4), at: start)
        #expect(await capacity.live(pool: "default", at: start) == .init(workers: 3, slots: 6, free: 6))
    }

    @Test(arguments: [
        // Each under a quota of a quarter core: 4 and 8 of them fit a 2-core machine; 16 are twice too many.
        (4, 0.25, 2, 4), (8, 0.25, 2, 8), (16, 0.25, 2, 8),
        // Without a quota: every worker claims the whole machine.
        (1, 2.0, 2, 2), (3, 8.0, 8, 8),
    ])
    func quotaWorkersKeepTheirSlots(_ count: Int, _ cpus: Double, _ machine: Int, _ slots: Int) {
        let heartbeats = (0..<count).map { Self.sized("w\($0)", host: "box", slots: max(1, Int(cpus)), cpus: cpus, machine: machine) }
        #expect(PoolCapacity.slots(sharingOneMachine: heartbeats) == slots)
    }

    @Test func handSetConcurrencyIsKept() {
        let fixed = WorkerHeartbeat(workerID: "f", pool: "default", slots: 6, running: 0, interval: 2, host: "box")
        let auto = Self.sized("a", host: "box", slots: 2, cpus: 2, machine: 2)
        #expect(PoolCapacity.slots(sharingOneMachine: [fixed, auto]) == 8)
    }
}
