import ArgumentParser
import Foundation
import Shared

/// `pansible-splitter expand --inventory FILE [--vars FILE] [--limit PATTERN]`: prints what
/// `ansible-inventory -i FILE --list [--limit PATTERN]` prints. A bad inventory exits with code 2 and the
/// error (with its line and column) on stderr.
struct ExpandCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "expand", abstract: "Print an inventory as `ansible-inventory --list` JSON.")

    @Option(name: .long, help: "The inventory (YAML or JSON, Ansible's YAML inventory structure).")
    var inventory: String

    @Option(name: .long, help: "The vars document: group name -> variables, applied like group_vars files.")
    var vars: String?

    @Option(name: .long, help: "Ansible host pattern limiting the hosts.")
    var limit: String?

    func run() throws {
        do {
            let hosts = try String(contentsOfFile: inventory, encoding: .utf8)
            let varsText = try vars.map { try String(contentsOfFile: $0, encoding: .utf8) }
            let expanded = try Inventory(hosts: hosts, vars: varsText)
            var output = try expanded.listJSON(limit: limit)
            output.append(10)
            FileHandle.standardOutput.write(Data(output))
        } catch let error as InventoryError {
            FileHandle.standardError.write(Data("pansible-splitter: \(error)\n".utf8))
            throw ExitCode(2)
        } catch {
            FileHandle.standardError.write(Data("pansible-splitter: \(error.localizedDescription)\n".utf8))
            throw ExitCode(2)
        }
    }
}
