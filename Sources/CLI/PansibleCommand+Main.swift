import ArgumentParser
import Foundation

extension PansibleCommand {
    /// Runs the command line with the documented exit codes: bad usage and errors exit 1 with one line on
    /// stderr (the API's errors with the field they name); help exits 0.
    public static func runMain() async -> Int32 {
        do {
            var command = try parseAsRoot()
            if var asynchronous = command as? any AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
            return 0
        } catch let error as CLIError {
            FileHandle.standardError.write(Data("pansible: \(error.description)\n".utf8))
            return 1
        } catch let code as ExitCode {
            return code.rawValue
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .success {
                print(message)
                return 0
            }
            FileHandle.standardError.write(Data("pansible: \(message)\n".utf8))
            return 1
        }
    }
}
