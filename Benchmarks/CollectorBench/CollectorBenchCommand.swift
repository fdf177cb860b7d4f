import ArgumentParser

/// `pansible-bench-collector`: the collector's benchmarks, each running a collector in this process against a
/// virtual host and a database of its own. Driven by `scripts/bench/50-collector.sh` and `60-live.sh`.
@main
struct CollectorBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pansible-bench-collector",
        abstract: "Benchmarks of the collector: ingestion throughput, live progress latency.",
        subcommands: [IngestCommand.self, LiveCommand.self]
    )
}
