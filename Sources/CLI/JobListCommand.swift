import ArgumentParser

/// `pansible job list`: jobs, newest first.
struct JobListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List jobs, newest first.")
    @OptionGroup var connection: ConnectionOptions
    @Option(help: "Only jobs with this status.") var status: String?
    @Option(help: "Only jobs of this env.") var env: String?
    @Option(help: "At most this many (1 to 500).") var limit: Int = 20

    func run() async throws {
        var query = "?limit=\(limit)"
        if let status { query += "&status=\(status)" }
        if let env { query += "&env=\(env)" }
        let page = try await connection.client().object("GET", "/api/v1/jobs" + query)
        let jobs = page["jobs"] as? [[String: Any]] ?? []
        print(
            Table.render(
                header: ["UUID", "STATUS", "ENV", "HOSTS", "SHARDS", "CREATED"],
                rows: jobs.map { job in
                    [
                        job["uuid"] as? String ?? "", job["status"] as? String ?? "", job["env"] as? String ?? "",
                        (job["host_count"] as? Int).map(String.init) ?? "-", (job["shard_count"] as? Int).map(String.init) ?? "-",
                        job["created_at"] as? String ?? "",
                    ]
                }))
    }
}
