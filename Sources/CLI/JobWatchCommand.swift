import ArgumentParser

/// `pansible job watch UUID`: live progress of a job (replayed from its start) until it ends, then its recap.
struct JobWatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "watch", abstract: "Show a job's live progress until it ends.")
    @OptionGroup var connection: ConnectionOptions
    @Argument(help: "The job's uuid.") var uuid: String

    func run() async throws {
        try await JobFollow.run(uuid.lowercased(), client: try connection.client())
    }
}
