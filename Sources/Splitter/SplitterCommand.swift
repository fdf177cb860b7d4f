import ArgumentParser

/// `pansible-splitter`: runs the splitter service (the default), or expands an inventory (`expand`).
/// The executable's entry point (`Sources/pansible-splitter/`) only runs it.
public struct SplitterCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "pansible-splitter",
        abstract: "Splits jobs into self-contained shards for the worker pools.",
        subcommands: [ServeCommand.self, ExpandCommand.self],
        defaultSubcommand: ServeCommand.self
    )

    public init() {}
}
