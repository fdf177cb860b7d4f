import Foundation
import Shared

/// Turns a job into its shards: reads the inventory exactly as Ansible does, applies `limit`, orders the
/// hosts by name, cuts them (``ShardPlan``) and gives every shard a self-contained inventory
/// (``ShardInventory``) and the pinned commit. Pure: publishing and acking are the service's.
package struct JobSplitter: Sendable {
    /// How a job that sets neither `shards` nor `shard_size` is cut; `slots` comes from the pool per job.
    var sizing: ShardPlan.Sizing
    /// Forks of a shard whose job sets none: one per host, at most this (`splitter.max_forks`).
    var maxForks: Int

    init(sizing: ShardPlan.Sizing, maxForks: Int = 50) {
        self.sizing = sizing
        self.maxForks = maxForks
    }

    /// Fixed shards of `defaultShardSize` hosts when the job sets no shard option (no pool capacity known).
    package init(defaultShardSize: Int) {
        self.init(sizing: ShardPlan.Sizing(slots: 0, fallbackShardSize: defaultShardSize))
    }

    package struct Split: Sendable {
        package var shards: [ShardMessage]
        /// The `job_split` event: shard and host counts and which hosts went where.
        package var event: PansibleEvent
    }

    /// - Parameters:
    ///   - commit: The playbook revision pinned for every shard.
    ///   - capacity: The job's pool as its workers' heartbeats describe it; nil when not known (fixed shards).
    ///   - now: The event's timestamp.
    ///   - recorded: An earlier split of the job to repeat: its hosts per shard and forks replace the cut, its
    ///     commit and time `commit` and `now`, so the shards are the same as that split's.
    package func split(
        _ job: JobMessage, commit: String, capacity: PoolCapacity.Snapshot? = nil, now: Date = Date(), recorded: SplitRecord? = nil
    ) -> Result<Split, JobSplitFailure> {
        let commit = recorded?.commit ?? commit
        let now = recorded?.splitAt ?? now
        let inventory: Inventory
        do {
            inventory = try Inventory(hosts: job.inventory.hosts, vars: job.inventory.vars)
        } catch {
            return .failure(JobSplitFailure(.invalidInventory, "inventory \(job.inventory.name): \(error)", inventoryError: error))
        }
        var selected: [Int]
        if let limit = job.options.limit, !limit.trimmingCharacters(in: .whitespaces).isEmpty {
            do {
                selected = try inventory.limit(limit)
            } catch {
                return .failure(JobSplitFailure(.invalidLimit, "limit '\(limit)': \(error)", inventoryError: error))
            }
        } else {
            selected = inventory.hostsOf(group: Inventory.allGroup)
        }
        if let names = job.options.hosts {
            let wanted = Set(names)
            selected.removeAll { !wanted.contains(inventory.hosts[$0].name) }
        }
        guard !selected.isEmpty else {
            let message =
                job.options.hosts != nil
                ? "no host of inventory \(job.inventory.name) is among the job's \(job.options.hosts?.count ?? 0) hosts"
                : job.options.limit.map { "no host of inventory \(job.inventory.name) matches the limit '\($0)'" }
            return .failure(JobSplitFailure(.noHosts, message ?? "inventory \(job.inventory.name) has no hosts"))
        }
        selected.sort { PythonJSON.keyOrder(inventory.hosts[$0].name, inventory.hosts[$1].name) }

        let plan: ShardPlan
        if let recorded {
            guard let repeated = Self.plan(recorded, hosts: selected.map { inventory.hosts[$0].name }) else {
                return .failure(
                    JobSplitFailure(.invalidInventory, "inventory \(job.inventory.name) no longer yields the hosts of its recorded split"))
            }
            plan = repeated
        } else {
            do {
                var sizing = self.sizing
                sizing.slots = capacity?.slots ?? 0
                plan = try ShardPlan.cut(hostCount: selected.count, shards: job.options.shards, shardSize: job.options.shardSize, sizing: sizing)
            } catch .invalidShards(let value) {
                return .failure(JobSplitFailure(.invalidOptions, "shards must be at least 1, got \(value)"))
            } catch {
                return .failure(JobSplitFailure(.invalidOptions, "shard_size must be 0 or more"))
            }
        }

        var playbook = job.playbook
        playbook.commit = commit
        let pool = job.options.pool ?? "default"
        var shards: [ShardMessage] = []
        shards.reserveCapacity(plan.ranges.count)
        var assignment: [JSONValue] = []
        for (index, range) in plan.ranges.enumerated() {
            let hostIDs = Array(selected[range])
            let names = hostIDs.map { inventory.hosts[$0].name }
            let shardInventory = ShardInventory(inventory, hosts: hostIDs)
            var options = job.options
            if let recorded { options.forks = recorded.shards[index].forks }
            if options.forks == nil { options.forks = max(1, min(names.count, maxForks)) }
            shards.append(
                ShardMessage(
                    jobUUID: job.jobUUID, jobID: job.jobID, index: index, count: plan.ranges.count, pool: pool, playbook: playbook,
                    inventory: shardInventory.inventory, hosts: names, options: options, credential: job.credential,
                    groupVars: shardInventory.groupVars, splitAt: now, deadline: job.deadline))
            assignment.append(.object(["index": .int(Int64(index)), "hosts": .array(names.map(JSONValue.string))]))
        }
        var data: [String: JSONValue] = [
            "shard_count": .int(Int64(shards.count)),
            "host_count": .int(Int64(selected.count)),
            "commit": .string(commit),
            "pool": .string(pool),
            "shards": .array(assignment),
        ]
        if let capacity {
            data["capacity"] = .object([
                "workers": .int(Int64(capacity.workers)), "slots": .int(Int64(capacity.slots)), "free": .int(Int64(capacity.free)),
            ])
            if capacity.workers == 0 { data["notice"] = .string(Self.noWorkerNotice(pool: pool)) }
        }
        let event = PansibleEvent(id: "split", type: PipelineEventType.jobSplit, timestamp: now, data: .object(data))
        return .success(Split(shards: shards, event: event))
    }

    /// The ranges of a recorded split, provided its shards hold exactly `hosts` in order.
    static func plan(_ recorded: SplitRecord, hosts: [String]) -> ShardPlan? {
        var ranges: [Range<Int>] = []
        var start = 0
        for shard in recorded.shards {
            let end = start + shard.hosts.count
            guard end <= hosts.count, Array(hosts[start..<end]) == shard.hosts else { return nil }
            ranges.append(start..<end)
            start = end
        }
        return start == hosts.count ? ShardPlan(ranges: ranges) : nil
    }

    /// The record that lets a later delivery of the job repeat this split.
    static func record(of split: Split, commit: String, at splitAt: Date) -> SplitRecord {
        SplitRecord(commit: commit, splitAt: splitAt, shards: split.shards.map { SplitRecord.Shard(hosts: $0.hosts, forks: $0.options.forks) })
    }

    /// What a job whose pool has no live worker says until one of its shards starts.
    static func noWorkerNotice(pool: String) -> String {
        "no live worker serves pool '\(pool)': the shards wait in \(Topology.shardsQueue(pool: pool)) until one starts"
    }

    /// The `job_failed` event for a job that could not be split.
    static func failedEvent(_ failure: JobSplitFailure, now: Date = Date()) -> PansibleEvent {
        PansibleEvent(id: "failed", type: PipelineEventType.jobFailed, timestamp: now, data: failure.eventData)
    }
}
