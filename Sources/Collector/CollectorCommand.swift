import ArgumentParser

/// `pansible-collector`: runs the collector service (the default subcommand, `serve`).
/// The executable's entry point (`Sources/pansible-collector/`) only runs it.
public struct CollectorCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "pansible-collector",
        abstract: "Stores job events and serves live progress.",
        subcommands: [ServeCommand.self],
        defaultSubcommand: ServeCommand.self
    )

    public init() {}
}
