import Foundation
import Shared
import Testing

@testable import Splitter

@Suite struct JobSplitterTests {
    static let inventory = """
        all:
          vars: {a: 1}
          children:
            web:
              hosts:
                web[01:05]:
              vars: {role: web}
            db:
              hosts:
                db-[a:c]:
        """

    static func job(hosts: String = inventory, vars: String? = "web:\n  doc: 1\n", options: JobOptions = JobOptions()) -> JobMessage {
        JobMessage(
            jobUUID: UUID(uuidString: "6E63A20F-E1D9-47CC-84AE-CF5BD46D4161")!, jobID: 172, env: "alpha",
            playbook: PlaybookSpec(id: 3, name: "site", gitRepo: "/srv/repo", entry: "site.yml", ref: "main"),
            inventory: InventorySpec(id: 5, name: "example", env: "alpha", version: "1", hosts: hosts, vars: vars), options: options,
            createdAt: Date(timeIntervalSince1970: 0))
    }

    @Test(arguments: [
        (10, nil as Int?, nil as Int?, 4, [0..<4, 4..<8, 8..<10]), (10, 3, nil, 50, [0..<4, 4..<7, 7..<10]), (2, 5, nil, 50, [0..<1, 1..<2]),
        (10, nil, 0, 4, [0..<10]), (10, 1, 3, 4, [0..<10]), (7, nil, 7, 4, [0..<7]), (1, nil, nil, 50, [0..<1]),
    ])
    func plansCut(_ count: Int, _ shards: Int?, _ size: Int?, _ defaultSize: Int, _ ranges: [Range<Int>]) throws {
        let sizing = ShardPlan.Sizing(slots: 0, fallbackShardSize: defaultSize)
        #expect(try ShardPlan.cut(hostCount: count, shards: shards, shardSize: size, sizing: sizing).ranges == ranges)
    }

    /// Hosts, live slots, shards per slot, floor, ceiling -> shard sizes.
    @Test(arguments: [
        (400, 4, 1, 10, 1000, [100, 100, 100, 100]),
        (80, 4, 1, 10, 1000, [20, 20, 20, 20]),
        (10, 4, 1, 10, 1000, [10]),  // the floor: one shard rather than four of 2-3 hosts
        (25, 4, 1, 10, 1000, [13, 12]),
        (3, 8, 1, 10, 1000, [3]),
        (400, 4, 2, 10, 1000, Array(repeating: 50, count: 8)),
        (5000, 2, 1, 10, 1000, Array(repeating: 1000, count: 5)),  // the ceiling wins over the slots
        (7, 16, 1, 1, 1000, Array(repeating: 1, count: 7)),
    ])
    func capacityCut(_ hosts: Int, _ slots: Int, _ perSlot: Int, _ floor: Int, _ ceiling: Int, _ sizes: [Int]) throws {
        let sizing = ShardPlan.Sizing(slots: slots, shardsPerSlot: perSlot, minShardSize: floor, maxShardSize: ceiling, fallbackShardSize: 50)
        let plan = try ShardPlan.cut(hostCount: hosts, shards: nil, shardSize: nil, sizing: sizing)
        #expect(plan.ranges.map(\.count) == sizes)
        #expect(plan.ranges.first?.lowerBound == 0 && plan.ranges.last?.upperBound == hosts)
        #expect(zip(plan.ranges, plan.ranges.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
    }

    @Test func aRecordedSplitIsRepeatedWhateverTheCapacityNow() throws {
        let splitter = JobSplitter(sizing: ShardPlan.Sizing(slots: 0, minShardSize: 1, fallbackShardSize: 50), maxForks: 50)
        let job = Self.job()
        let at = Date(timeIntervalSince1970: 1_000)
        let original = try splitter.split(job, commit: "abc", capacity: PoolCapacity.Snapshot(workers: 3, slots: 3, free: 3), now: at).get()
        let record = JobSplitter.record(of: original, commit: "abc", at: at)
        #expect(record.shards.map(\.hosts.count) == original.shards.map(\.hosts.count))

        // Another capacity, commit and time: the recorded split wins on all three.
        let repeated = try splitter.split(
            job, commit: "def", capacity: PoolCapacity.Snapshot(workers: 1, slots: 1, free: 1), now: Date(), recorded: record
        ).get()
        #expect(repeated.shards == original.shards)
        #expect(try repeated.shards.map { try MessageCoding.encode($0) } == original.shards.map { try MessageCoding.encode($0) })
    }

    @Test func aRecordedSplitWhoseHostsNoLongerMatchIsRefused() throws {
        let record = SplitRecord(commit: "abc", splitAt: Date(), shards: [.init(hosts: ["a", "b"], forks: 2), .init(hosts: ["c"], forks: 1)])
        #expect(JobSplitter.plan(record, hosts: ["a", "b", "c"])?.ranges == [0..<2, 2..<3])
        #expect(JobSplitter.plan(record, hosts: ["a", "b", "c", "d"]) == nil)
        #expect(JobSplitter.plan(record, hosts: ["a", "c", "b"]) == nil)
    }

    @Test func explicitOptionsWinOverCapacity() throws {
        let sizing = ShardPlan.Sizing(slots: 8, fallbackShardSize: 50)
        #expect(try ShardPlan.cut(hostCount: 100, shards: nil, shardSize: 30, sizing: sizing).ranges.map(\.count) == [30, 30, 30, 10])
        #expect(try ShardPlan.cut(hostCount: 100, shards: 2, shardSize: nil, sizing: sizing).ranges.map(\.count) == [50, 50])
        #expect(try ShardPlan.cut(hostCount: 100, shards: nil, shardSize: 0, sizing: sizing).ranges.map(\.count) == [100])
    }

    @Test func splitsForThePoolsCapacityWithForksPerShard() throws {
        let splitter = JobSplitter(sizing: ShardPlan.Sizing(slots: 0, minShardSize: 2), maxForks: 3)
        let capacity = PoolCapacity.Snapshot(workers: 2, slots: 2, free: 1)
        let split = try splitter.split(Self.job(), commit: "c", capacity: capacity).get()
        #expect(split.shards.map(\.hosts.count) == [4, 4])
        // One fork per host, at most max_forks, unless the job sets forks.
        #expect(split.shards.map(\.options.forks) == [3, 3])
        let data = try #require(split.event.data)
        #expect(data["capacity"] == .object(["workers": .int(2), "slots": .int(2), "free": .int(1)]))
        #expect(data["notice"] == nil)

        let forked = try splitter.split(Self.job(options: JobOptions(forks: 7)), commit: "c", capacity: capacity).get()
        #expect(forked.shards.map(\.options.forks) == [7, 7])
        let small = try JobSplitter(sizing: ShardPlan.Sizing(slots: 0), maxForks: 50).split(Self.job(), commit: "c", capacity: capacity).get()
        #expect(small.shards.map(\.options.forks) == [8])
    }

    @Test func aPoolWithoutLiveWorkersIsNoticed() throws {
        let splitter = JobSplitter(sizing: ShardPlan.Sizing(slots: 0, fallbackShardSize: 3))
        let split = try splitter.split(Self.job(options: JobOptions(pool: "edge")), commit: "c", capacity: .empty).get()
        #expect(split.shards.map(\.hosts.count) == [3, 3, 2])
        let notice = try #require(split.event.data?["notice"]?.stringValue)
        #expect(notice.contains("no live worker serves pool 'edge'") && notice.contains("pansible.shards.edge"))
        #expect(JobSplitData(json: split.event.data)?.notice == notice)
    }

    @Test func splitsByNameWithPinnedCommit() throws {
        let commit = String(repeating: "ab", count: 20)
        let split = try JobSplitter(defaultShardSize: 3).split(Self.job(), commit: commit).get()
        #expect(split.shards.count == 3)
        #expect(split.shards.map(\.hosts) == [["db-a", "db-b", "db-c"], ["web01", "web02", "web03"], ["web04", "web05"]])
        #expect(split.shards.map(\.messageID) == (0..<3).map { "job/6e63a20f-e1d9-47cc-84ae-cf5bd46d4161/shard/\($0)" })
        #expect(split.shards.allSatisfy { $0.playbook.commit == commit && $0.count == 3 && $0.pool == "default" })
        #expect(split.shards[1].groupVars == .object(["web": .object(["doc": .int(1)])]))
        #expect(split.shards[0].groupVars == nil)
        let data = try #require(split.event.data)
        #expect(split.event.type == PipelineEventType.jobSplit)
        #expect(data["shard_count"] == .int(3) && data["host_count"] == .int(8))
        #expect(data["shards"]?.arrayValue?[2]["hosts"] == .array([.string("web04"), .string("web05")]))
    }

    @Test func splittingTwiceGivesTheSameShards() throws {
        let splitter = JobSplitter(defaultShardSize: 2)
        let now = Date()
        let first = try splitter.split(Self.job(), commit: "c", now: now).get()
        let second = try splitter.split(Self.job(), commit: "c", now: now).get()
        #expect(first.shards == second.shards)
    }

    @Test func limitSelectsHosts() throws {
        let split = try JobSplitter(defaultShardSize: 50).split(Self.job(options: JobOptions(limit: "web:!~web0[12]")), commit: "c").get()
        #expect(split.shards.map(\.hosts) == [["web03", "web04", "web05"]])
    }

    /// A relaunch's hosts are names, not patterns: `a,b` is the host of that name, not hosts a and b, and `x&y`
    /// is not an intersection; the limit still applies.
    @Test func exactHostsSelectThoseHostsOnly() throws {
        let hosts = "all:\n  hosts:\n    'a,b':\n    a:\n    b:\n    'x&y':\n    web01:\n"
        let splitter = JobSplitter(defaultShardSize: 50)
        let split = try splitter.split(Self.job(hosts: hosts, vars: nil, options: JobOptions(hosts: ["a,b", "x&y", "gone"])), commit: "c").get()
        #expect(split.shards.flatMap(\.hosts).sorted() == ["a,b", "x&y"])
        let limited = try splitter.split(Self.job(hosts: hosts, vars: nil, options: JobOptions(limit: "a", hosts: ["a,b", "a"])), commit: "c").get()
        #expect(limited.shards.flatMap(\.hosts) == ["a"])
        guard case .failure(let none) = splitter.split(Self.job(hosts: hosts, vars: nil, options: JobOptions(hosts: ["gone"])), commit: "c") else {
            Issue.record("split to no host")
            return
        }
        #expect(none.code == .noHosts)
    }

    @Test func badInventoryFailsWithWhere() throws {
        let result = JobSplitter(defaultShardSize: 50).split(Self.job(hosts: "all:\n  hosts:\n    5:\n"), commit: "c")
        guard case .failure(let failure) = result else {
            Issue.record("split a bad inventory")
            return
        }
        #expect(failure.code == .invalidInventory)
        let event = JobSplitter.failedEvent(failure)
        #expect(event.type == PipelineEventType.jobFailed && event.id == "failed")
        #expect(event.data?["line"] == .int(3) && event.data?["column"] == .int(5) && event.data?["document"] == .string("hosts"))
    }

    @Test func emptyLimitAndBadOptionsFail() {
        let splitter = JobSplitter(defaultShardSize: 50)
        guard case .failure(let empty) = splitter.split(Self.job(options: JobOptions(limit: "nothing*")), commit: "c") else {
            Issue.record("split to no host")
            return
        }
        #expect(empty.code == .noHosts)
        guard case .failure(let options) = splitter.split(Self.job(options: JobOptions(shards: 0)), commit: "c") else {
            Issue.record("split into zero shards")
            return
        }
        #expect(options.code == .invalidOptions)
    }
}
