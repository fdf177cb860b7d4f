import Foundation
import Shared

extension RunIsolation {
    /// Refuses to start with `isolation: bubblewrap` when bwrap cannot make a sandbox: it is missing, or a trial
    /// sandbox with the namespaces and mounts of a run, running `true`, fails (no user namespaces, a container
    /// that forbids them, an `env` without `--ignore-signal`).
    /// - Throws: `ConfigurationError` for `worker.isolation`, one line saying why.
    static func verify(configuration: WorkerConfiguration) async throws {
        guard configuration.isolation == .bubblewrap else { return }
        let sandbox = BubblewrapSandbox(bubblewrap: configuration.bubblewrap, hidden: [], home: nil)
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PANSIBLE_") }
        environment["LC_ALL"] = "C"
        let reason: String
        do {
            let trial = try await CommandRunner.run(
                "env", sandbox.launcher + BubblewrapSandbox.namespaceOptions + ["--", "true"], environment: environment, directory: "/",
                timeout: .seconds(60))
            guard trial.status != .exited(0) else { return }
            let said = trial.text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.first { !$0.isEmpty }
            reason = trial.timedOut ? "a trial sandbox did not end within 60 s" : said ?? "a trial sandbox failed with rc \(trial.status.code)"
        } catch {
            reason = String(describing: error)
        }
        throw ConfigurationError(
            key: "worker.isolation",
            message: "bubblewrap cannot run a sandbox with '\(configuration.bubblewrap)' (\(reason)); install bubblewrap (make deps), "
                + "set worker.bubblewrap, or choose worker.isolation: none or container")
    }
}
