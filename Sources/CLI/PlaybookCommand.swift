import ArgumentParser

/// `pansible playbook create|list`.
struct PlaybookCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "playbook", abstract: "Register and list playbooks.", subcommands: [Create.self, List.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Register a playbook in a git repository; prints its id.")
        @OptionGroup var connection: ConnectionOptions
        @Option(help: "Name.") var name: String
        @Option(help: "Git repository URL.") var repo: String
        @Option(help: "The playbook's path in the repository.") var entry: String
        @Option(help: "Branch, tag or commit (default: HEAD).") var ref: String?
        @Option(help: "Credential id for the repository and hosts.") var credential: Int?

        func run() async throws {
            var body: [String: Any] = ["name": name, "git_repo": repo, "entry": entry]
            if let ref { body["ref"] = ref }
            if let credential { body["credential_id"] = credential }
            let playbook = try await connection.client().object("POST", "/api/v1/playbook", json: body)
            print("\(playbook["id"] as? Int ?? 0)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List playbooks.")
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            let list = try await connection.client().object("GET", "/api/v1/playbook")
            let playbooks = list["playbooks"] as? [[String: Any]] ?? []
            print(
                Table.render(
                    header: ["ID", "NAME", "REPOSITORY", "ENTRY", "REF"],
                    rows: playbooks.map {
                        [
                            "\($0["id"] as? Int ?? 0)", $0["name"] as? String ?? "", $0["git_repo"] as? String ?? "", $0["entry"] as? String ?? "",
                            $0["ref"] as? String ?? "-",
                        ]
                    }))
        }
    }
}
