import ArgumentParser

/// `pansible job cancel UUID`.
struct JobCancelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cancel", abstract: "Cancel a job that has not ended.")
    @OptionGroup var connection: ConnectionOptions
    @Argument(help: "The job's uuid.") var uuid: String

    func run() async throws {
        let job = try await connection.client().object("POST", "/api/v1/job/\(uuid.lowercased())/cancel")
        print("job \(job["uuid"] as? String ?? uuid) \(job["status"] as? String ?? "")" + ((job["status_reason"] as? String).map { ": \($0)" } ?? ""))
    }
}
