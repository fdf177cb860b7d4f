import ArgumentParser

/// `pansible job relaunch UUID [--failed | --all] [--follow]`: the job again at the same commit, limited to its
/// failed hosts (the default) or all of them; prints the new job's uuid.
struct JobRelaunchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "relaunch", abstract: "Run a finished job again on its failed hosts (or all); prints the new uuid.")
    enum Hosts: String, EnumerableFlag {
        case failed, all
    }

    @OptionGroup var connection: ConnectionOptions
    @Argument(help: "The job's uuid.") var uuid: String
    @Flag(help: "Which hosts: the failed, unreachable and unreported ones (default), or all.") var hosts: Hosts = .failed
    @Flag(help: "Show live progress until the new job ends, then its recap.") var follow = false

    func run() async throws {
        let client = try connection.client()
        let job = try await client.object("POST", "/api/v1/job/\(uuid.lowercased())/relaunch", json: ["hosts": hosts.rawValue])
        guard let new = job["uuid"] as? String else { throw CLIError.connection("the gateway's answer has no job uuid") }
        print(new)
        if follow { try await JobFollow.run(new, client: client) }
    }
}
