import Foundation
import Shared
import Testing

@testable import Splitter

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
}
