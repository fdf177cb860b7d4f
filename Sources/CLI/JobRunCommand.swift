import ArgumentParser
import Foundation

/// `pansible job run`: launches a job and prints its uuid; with `--follow`, shows its progress to the end.
struct JobRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Launch a job; prints its uuid.")

    @OptionGroup var connection: ConnectionOptions
    @Option(help: "Playbook id.") var playbook: Int
    @Option(help: "Inventory id.") var inventory: Int
    @Option(help: "Environment (the inventory's).") var env: String
    @Option(help: "Ansible host pattern.") var limit: String?
    @Option(name: .customLong("extra-vars"), help: "Extra variables: a JSON object, or @FILE holding one.") var extraVars: String?
    @Option(help: "Only tasks with these tags (comma-separated).") var tags: String?
    @Option(name: .customLong("skip-tags"), help: "Skip tasks with these tags (comma-separated).") var skipTags: String?
    @Flag(help: "Dry run (--check).") var check = false
    @Flag(help: "Show differences (--diff).") var diff = false
    @Option(name: .customLong("shard-size"), help: "Hosts per shard.") var shardSize: Int?
    @Option(help: "Number of shards.") var shards: Int?
    @Option(help: "Worker pool.") var pool: String?
    @Option(help: "Ansible forks per shard.") var forks: Int?
    @Option(help: "Credential id.") var credential: Int?
    @Flag(help: "Show live progress until the job ends, then its recap.") var follow = false

    func validate() throws {
        if shardSize != nil && shards != nil { throw ValidationError("--shard-size and --shards exclude each other") }
    }

    func run() async throws {
        let client = try connection.client()
        var body: [String: Any] = ["playbook_id": playbook, "inventory_id": inventory, "env": env]
        if let limit { body["limit"] = limit }
        if let extraVars { body["extra_vars"] = try Self.extraVars(extraVars) }
        if let tags { body["tags"] = tags }
        if let skipTags { body["skip_tags"] = skipTags }
        if check { body["check"] = true }
        if diff { body["diff"] = true }
        if let shardSize { body["shard_size"] = shardSize }
        if let shards { body["shards"] = shards }
        if let pool { body["pool"] = pool }
        if let forks { body["forks"] = forks }
        if let credential { body["credential_id"] = credential }
        let job = try await client.object("POST", "/api/v1/job", json: body)
        guard let uuid = job["uuid"] as? String else { throw CLIError.connection("the gateway's answer has no job uuid") }
        print(uuid)
        if follow { try await JobFollow.run(uuid, client: client) }
    }

    /// A JSON object given inline or as `@FILE`.
    static func extraVars(_ value: String) throws -> Any {
        let text: String
        if value.hasPrefix("@") {
            let path = String(value.dropFirst())
            guard let contents = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw CLIError.usage("cannot read --extra-vars file \(path)")
            }
            text = contents
        } else {
            text = value
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)), object is [String: Any] else {
            throw CLIError.usage("--extra-vars must be a JSON object (or @FILE holding one)")
        }
        return object
    }
}
