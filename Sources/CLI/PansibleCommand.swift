import ArgumentParser

/// `pansible`: the operator's command line for a Pansible gateway: launch, watch, read and rerun jobs, and
/// manage inventories and playbooks. The executable's entry point (`Sources/pansible/`) only runs it.
///
/// Exit codes: 0 when the job (or command) succeeded, 2 when hosts failed or were unreachable, 1 for an error,
/// a canceled job, or bad usage.
public struct PansibleCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "pansible",
        abstract: "Run Ansible playbooks over many hosts through a Pansible gateway.",
        discussion: """
            Connection: PANSIBLE_URL (the gateway, default http://127.0.0.1:5757) and PANSIBLE_TOKEN, or --url and \
            --token. Live progress: from PANSIBLE_WS_URL (or --ws-url) when set, else at the address the gateway shows \
            for the job (progress_url), else on the gateway's host at the collector's port 5858.
            """,
        subcommands: [JobCommand.self, InventoryCommand.self, PlaybookCommand.self]
    )

    public init() {}
}
