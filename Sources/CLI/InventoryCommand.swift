import ArgumentParser
import Foundation

/// `pansible inventory create|list`.
struct InventoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inventory", abstract: "Upload and list inventories.", subcommands: [Create.self, List.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Upload an inventory (YAML); prints its id.")
        @OptionGroup var connection: ConnectionOptions
        @Option(help: "Name.") var name: String
        @Option(help: "Environment.") var env: String
        @Option(help: "Version label.") var version: String
        @Option(help: "Ansible YAML inventory file.") var hosts: String
        @Option(help: "YAML file of group variables (group name to variables).") var vars: String?

        func run() async throws {
            var body: [String: Any] = ["name": name, "env": env, "version": version, "hosts": try read(hosts, "--hosts")]
            if let vars { body["vars"] = try read(vars, "--vars") }
            let inventory = try await connection.client().object("POST", "/api/v1/inventory", json: body)
            print("\(inventory["id"] as? Int ?? 0)")
        }

        private func read(_ path: String, _ option: String) throws -> String {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw CLIError.usage("cannot read \(option) file \(path)") }
            return text
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List inventories.")
        @OptionGroup var connection: ConnectionOptions
        @Option(help: "Only this env.") var env: String?

        func run() async throws {
            let list = try await connection.client().object("GET", "/api/v1/inventory" + (env.map { "?env=\($0)" } ?? ""))
            let inventories = list["inventories"] as? [[String: Any]] ?? []
            print(
                Table.render(
                    header: ["ID", "NAME", "ENV", "VERSION", "HOSTS"],
                    rows: inventories.map {
                        [
                            "\($0["id"] as? Int ?? 0)", $0["name"] as? String ?? "", $0["env"] as? String ?? "", $0["version"] as? String ?? "",
                            "\($0["host_count"] as? Int ?? 0)",
                        ]
                    }))
        }
    }
}
