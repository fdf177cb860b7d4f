import ArgumentParser

/// `pansible-collector`: runs the collector service (the default subcommand, `serve`).
@main
struct CollectorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pansible-collector",
        abstract: "Stores job events and serves live progress.",
        subcommands: [ServeCommand.self, BenchIngestCommand.self, BenchLiveCommand.self],
        defaultSubcommand: ServeCommand.self
    )
}
