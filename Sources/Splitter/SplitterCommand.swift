import ArgumentParser

/// `pansible-splitter`: runs the splitter service (the default), or expands an inventory (`expand`).
@main
struct SplitterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pansible-splitter",
        abstract: "Splits jobs into self-contained shards for the worker pools.",
        subcommands: [ServeCommand.self, ExpandCommand.self, BenchShardCommand.self],
        defaultSubcommand: ServeCommand.self
    )
}
