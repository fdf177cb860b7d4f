import ArgumentParser

/// What stops a command, printed as one line.
enum CLIError: Error, CustomStringConvertible {
    /// The gateway answered an error: its status, code, message and the field it names.
    case api(status: Int, code: String, message: String, field: String?)
    /// The gateway could not be reached or answered something that is not the API's.
    case connection(String)
    case usage(String)

    var description: String {
        switch self {
        case .api(let status, let code, let message, let field):
            return "error: \(status) \(code): \(message)" + (field.map { " (field: \($0))" } ?? "")
        case .connection(let message): return "error: \(message)"
        case .usage(let message): return "error: \(message)"
        }
    }
}

extension ExitCode {
    /// Hosts failed or were unreachable.
    static let hostsFailed = ExitCode(2)
}
