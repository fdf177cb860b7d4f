import ArgumentParser
import Foundation

/// The servers a collector benchmark uses: a broker virtual host of its own, and a PostgreSQL server on which
/// a fresh database is created and dropped (`BenchDatabase`).
struct BenchServices: ParsableArguments {
    @Option(name: .long, help: "The broker (a virtual host of its own: its queues are consumed).")
    var amqpURL: String = ProcessInfo.processInfo.environment["PANSIBLE_AMQP_URL"] ?? "amqp://guest:guest@127.0.0.1:5672/"

    @Option(name: .long, help: "Any database of the server: a fresh one is created beside it and dropped at the end.")
    var databaseURL: String = ProcessInfo.processInfo.environment["PANSIBLE_DATABASE_URL"] ?? "postgres://postgres@127.0.0.1:5432/pansible"
}
