import Foundation
import Shared

extension CommandRunner {
    /// Runs a helper command attached to a run's `control` while it runs, so a cancel or timeout of the run stops
    /// its whole process group (a stop that came before stops it at once).
    static func run(
        _ executable: String, _ arguments: [String], environment: [String: String], directory: String, control: RunControl?
    ) async throws -> Output {
        try await run(
            executable, arguments, environment: environment, directory: directory,
            started: { await control?.attach($0) }, ended: { await control?.detach() })
    }
}
