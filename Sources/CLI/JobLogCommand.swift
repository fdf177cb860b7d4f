import ArgumentParser

/// `pansible job log UUID`: the merged log, as one ansible-playbook run over all the hosts would print it.
struct JobLogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "log", abstract: "Print a job's log (all shards merged).")
    @OptionGroup var connection: ConnectionOptions
    @Argument(help: "The job's uuid.") var uuid: String
    @Option(help: "One shard's own log.") var shard: Int?

    func run() async throws {
        let path = "/api/v1/job/\(uuid.lowercased())/stdout" + (shard.map { "?shard=\($0)" } ?? "")
        print(try await connection.client().send("GET", path).text, terminator: "")
    }
}
