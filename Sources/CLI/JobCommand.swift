import ArgumentParser

/// `pansible job …`
struct JobCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "job", abstract: "Launch, watch, inspect, cancel and relaunch jobs.",
        subcommands: [
            JobRunCommand.self, JobWatchCommand.self, JobListCommand.self, JobShowCommand.self, JobResultCommand.self, JobLogCommand.self,
            JobCancelCommand.self, JobRelaunchCommand.self,
        ]
    )
}
