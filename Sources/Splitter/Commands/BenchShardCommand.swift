import ArgumentParser
import Foundation
import Shared

/// Hidden: times expanding an inventory and cutting it into shard messages (the broker excluded).
struct BenchShardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench-shard", shouldDisplay: false)

    @Option(name: .long) var inventory: String
    @Option(name: .long) var shards: Int = 2000

    func run() throws {
        FileHandle.standardError.write(Data("bench-shard: not available yet\n".utf8))
        throw ExitCode(1)
    }
}
