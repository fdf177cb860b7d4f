import ArgumentParser
import Foundation

/// `pansible job show UUID`: the job as the API shows it (JSON).
struct JobShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a job: status, shards, host counts (JSON).")
    @OptionGroup var connection: ConnectionOptions
    @Argument(help: "The job's uuid.") var uuid: String

    func run() async throws {
        print(try await connection.client().send("GET", "/api/v1/job/\(uuid.lowercased())").prettyJSON)
    }
}
