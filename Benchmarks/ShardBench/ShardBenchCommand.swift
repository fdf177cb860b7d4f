import ArgumentParser
import Foundation
import Shared
import Splitter

/// `pansible-bench-shard`: times splitting an inventory's hosts into shard messages, encoded as they go on the
/// broker (the broker itself excluded). Used by `scripts/bench/20-inventory.sh`.
@main
struct ShardBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pansible-bench-shard", abstract: "Time splitting an inventory's hosts into shard messages.")

    @Option(name: .long, help: "The inventory file.")
    var inventory: String

    @Option(name: .long, help: "Shards to cut the hosts into.")
    var shards: Int = 2000

    func run() throws {
        let text = try String(contentsOfFile: inventory, encoding: .utf8)
        let job = JobMessage(
            jobUUID: UUID(), jobID: 1, env: "bench",
            playbook: PlaybookSpec(id: 1, name: "bench", gitRepo: "file:///dev/null", entry: "site.yml"),
            inventory: InventorySpec(id: 1, name: "bench", env: "bench", version: "1", hosts: text, vars: nil),
            options: JobOptions(shards: shards))
        let clock = ContinuousClock()
        let start = clock.now
        let split: JobSplitter.Split
        switch JobSplitter(defaultShardSize: 50).split(job, commit: String(repeating: "0", count: 40)) {
        case .success(let value): split = value
        case .failure(let failure):
            FileHandle.standardError.write(Data("pansible-bench-shard: \(failure)\n".utf8))
            throw ExitCode(2)
        }
        let splitDone = clock.now
        let encoder = MessageCoding.encoder()
        var bytes = 0
        for shard in split.shards { bytes += try encoder.encode(shard).count }
        bytes += try encoder.encode(split.event).count
        let end = clock.now
        let hosts = split.shards.reduce(0) { $0 + $1.hosts.count }
        func seconds(_ duration: Duration) -> String {
            String(format: "%.3f", Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
        }
        print(
            "shard: \(hosts) hosts into \(split.shards.count) shard messages in \(seconds(end - start)) s "
                + "(split \(seconds(splitDone - start)) s, encode \(seconds(end - splitDone)) s, \(bytes / 1_000_000) MB)")
    }
}
