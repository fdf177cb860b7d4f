import Foundation

/// What this process knows of each pool's workers, from their heartbeats (``WorkerHeartbeat``).
///
/// A worker counts while it is not stopping and its last heartbeat is younger than two and a half of its
/// intervals (plus a second of slack for a busy broker). A splitter that has just started has heard from
/// nobody yet: ``snapshot(pool:)`` then waits up to `warmUp` before it concludes that a pool has no worker.
///
/// A process cut off from the broker hears nobody either, and what it knew of the workers goes stale: a
/// silence of every worker longer than `warmUp` (a worker hears its own heartbeats, so for a worker that
/// means its broker connection was down) makes ``isWarm(at:)`` false until `warmUp` after the heartbeats
/// come back, so that an absent heartbeat is not taken for a dead worker while nothing could be heard.
///
/// Workers on one machine share its processors: when the cores that a machine's workers each sized their
/// slots from add up to more than the machine has (two workers without a quota on one box), their slots
/// are scaled down to the machine's share, so the job is not cut into shards that would only take turns
/// on the same cores while each pays its own start-up. Workers with a CPU quota each (containers, cgroups)
/// add up to no more than the machine and keep their slots; workers whose concurrency was set by hand keep
/// theirs too.
public actor PoolCapacity {
    /// The live workers of one pool, summed.
    public struct Snapshot: Sendable, Equatable {
        public var workers: Int
        /// Shards the pool runs at once.
        public var slots: Int
        /// Slots not running a shard right now.
        public var free: Int

        public init(workers: Int, slots: Int, free: Int) {
            self.workers = workers
            self.slots = slots
            self.free = free
        }

        public static let empty = Snapshot(workers: 0, slots: 0, free: 0)
    }

    private struct Seen {
        var heartbeat: WorkerHeartbeat
        var at: ContinuousClock.Instant
    }

    private var workers: [String: Seen] = [:]
    private let warmUp: Duration
    /// Since when heartbeats have been heard without a silence longer than `warmUp` (at first: the start).
    private var listeningSince: ContinuousClock.Instant
    /// The last heartbeat of any worker.
    private var heardAt: ContinuousClock.Instant?

    public init(warmUp: Duration, startedAt: ContinuousClock.Instant = .now) {
        self.warmUp = warmUp
        self.listeningSince = startedAt
    }

    public func record(_ heartbeat: WorkerHeartbeat, at now: ContinuousClock.Instant = .now) {
        if let heardAt, now - heardAt > warmUp {
            listeningSince = now
        }
        heardAt = max(heardAt ?? now, now)
        if heartbeat.stopping {
            workers[heartbeat.workerID] = nil
        } else {
            workers[heartbeat.workerID] = Seen(heartbeat: heartbeat, at: now)
        }
    }

    /// The pool's live workers now; while the warm-up lasts and none is known, waits for the warm-up's end.
    public func snapshot(pool: String) async -> Snapshot {
        var current = live(pool: pool, at: .now)
        let warmEnd = listeningSince + warmUp
        while current.workers == 0 && ContinuousClock.now < warmEnd {
            try? await Task.sleep(for: min(.milliseconds(100), warmEnd - .now))
            current = live(pool: pool, at: .now)
        }
        return current
    }

    /// The pool's live workers at `now`, forgetting those gone silent.
    public func live(pool: String, at now: ContinuousClock.Instant) -> Snapshot {
        var snapshot = Snapshot.empty
        var machines: [String: [WorkerHeartbeat]] = [:]
        for (id, seen) in workers {
            let deadline = seen.at + .seconds(seen.heartbeat.interval * 2.5 + 1)
            guard now < deadline else {
                workers[id] = nil
                continue
            }
            guard seen.heartbeat.pool == pool else { continue }
            snapshot.workers += 1
            machines[seen.heartbeat.host ?? "worker \(id)", default: []].append(seen.heartbeat)
        }
        for heartbeats in machines.values {
            let slots = Self.slots(sharingOneMachine: heartbeats)
            snapshot.slots += slots
            snapshot.free += min(slots, heartbeats.reduce(0) { $0 + $1.free })
        }
        return snapshot
    }

    /// Whether every live worker has been heard from by now: the warm-up is over, heartbeats are being heard,
    /// and they have been for a warm-up since the last silence.
    public func isWarm(at now: ContinuousClock.Instant = .now) -> Bool {
        guard now >= listeningSince + warmUp else { return false }
        guard let heardAt else { return true }
        return now - heardAt <= warmUp
    }

    /// Whether the worker has sent a heartbeat recently and not said it is stopping.
    public func isLive(workerID: String, at now: ContinuousClock.Instant = .now) -> Bool {
        guard let seen = workers[workerID] else { return false }
        return now < seen.at + .seconds(seen.heartbeat.interval * 2.5 + 1)
    }

    /// The slots of the workers of one machine, scaled down when the cores they sized them from add up to
    /// more than the machine has.
    public static func slots(sharingOneMachine heartbeats: [WorkerHeartbeat]) -> Int {
        var sized = 0
        var claimed = 0.0
        var machine = 0
        var fixed = 0
        for heartbeat in heartbeats {
            if let cpus = heartbeat.cpus, let machineCPUs = heartbeat.machineCPUs, cpus > 0, machineCPUs > 0 {
                sized += heartbeat.slots
                claimed += cpus
                machine = max(machine, machineCPUs)
            } else {
                fixed += heartbeat.slots
            }
        }
        guard sized > 0 else { return fixed }
        let oversubscription = claimed / Double(machine)
        guard oversubscription > 1 else { return fixed + sized }
        return fixed + max(1, Int((Double(sized) / oversubscription).rounded(.down)))
    }
}
