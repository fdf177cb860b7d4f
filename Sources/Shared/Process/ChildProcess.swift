import Foundation
import Subprocess
import Synchronization

#if canImport(System)
    import System
#else
    import SystemPackage
#endif

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A child process started (with swift-subprocess), by default as the leader of its own process group, so the whole tree
/// it starts (Ansible's forks, ssh, git's helpers) can be signalled at once.
///
/// Standard input is `/dev/null`; standard output and error share one file (so their order is kept); every
/// other descriptor is closed in the child, and signal dispositions and mask are reset (the service group
/// ignores SIGTERM/SIGINT, and ignored signals would otherwise be inherited). Its exit is awaited by
/// swift-subprocess's monitor, never by blocking the cooperative pool. Stopping it is the caller's decision
/// (``signalGroup(_:)``, ``stopGroup(interruptGrace:terminateGrace:)``): cancelling the task that spawned it
/// does not kill it.
public final class ChildProcess: Sendable {
    public let pid: pid_t
    private let exit: Task<ExitStatus, Never>
    private let exited: ExitFlag

    /// How a child ended.
    public enum ExitStatus: Sendable, Equatable {
        case exited(Int32)
        case signaled(Int32)

        /// The shell convention: the exit code, or 128 + the signal.
        public var code: Int32 {
            switch self {
            case .exited(let code): return code
            case .signaled(let signal): return 128 + signal
            }
        }
    }

    private init(pid: pid_t, exit: Task<ExitStatus, Never>, exited: ExitFlag) {
        self.pid = pid
        self.exit = exit
        self.exited = exited
    }

    /// Starts `executable` (a path, or a name looked up in the child environment's PATH).
    /// - Parameters:
    ///   - directory: the child's working directory.
    ///   - outputPath: a file created (0600) for the child's standard output, and its standard error unless
    ///     `errorPath` names a file of its own.
    ///   - ownGroup: whether the child leads a process group of its own (so that the group can be stopped as one);
    ///     without, it stays in the caller's group and goes when that group is signalled.
    ///   - ownSession: whether the child leads a session of its own (and so a process group too), without a
    ///     controlling terminal: what it runs can never reach the worker's terminal through `/dev/tty`.
    public static func spawn(
        executable: String, arguments: [String], environment: [String: String], directory: String, outputPath: String,
        errorPath: String? = nil, ownGroup: Bool = true, ownSession: Bool = false
    ) async throws -> ChildProcess {
        guard let path = locate(executable, path: environment["PATH"] ?? ProcessInfo.processInfo.environment["PATH"] ?? "") else {
            throw ChildProcessError.notFound(executable)
        }
        let descriptor = open(outputPath, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw ChildProcessError.spawnFailed(executable, "cannot open \(outputPath): \(String(cString: strerror(errno)))")
        }
        // Standard error goes to a file of its own, or to a second descriptor of the output file (O_APPEND keeps
        // both streams' writes whole and in order, as `2>&1` would).
        let errorDescriptor = errorPath.map { open($0, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0o600) } ?? dup(descriptor)
        guard errorDescriptor >= 0 else {
            close(descriptor)
            throw ChildProcessError.spawnFailed(executable, "cannot open \(errorPath ?? outputPath): \(String(cString: strerror(errno)))")
        }
        var options = PlatformOptions()
        if ownSession {
            options.createSession = true
        } else if ownGroup {
            options.processGroupID = 0
        }
        let exited = ExitFlag()
        let started = StartSignal()
        let exit = Task<ExitStatus, Never> {
            do {
                let result = try await Subprocess.run(
                    .path(FilePath(path)), arguments: Arguments(arguments),
                    // Raw entries are NUL-terminated C strings.
                    environment: .custom(environment.map { Array("\($0.key)=\($0.value)\0".utf8) }),
                    workingDirectory: FilePath(directory), platformOptions: options, input: .none,
                    output: .fileDescriptor(FileDescriptor(rawValue: descriptor), closeAfterSpawningProcess: true),
                    error: .fileDescriptor(FileDescriptor(rawValue: errorDescriptor), closeAfterSpawningProcess: true)
                ) { execution in
                    started.resume(.success(execution.processIdentifier.value))
                }
                exited.set()
                switch result.terminationStatus {
                case .exited(let code): return .exited(code)
                case .signaled(let signal): return .signaled(signal)
                }
            } catch {
                exited.set()
                started.resume(.failure(ChildProcessError.spawnFailed(executable, "\(error)")))
                return .exited(-1)
            }
        }
        let pid = try await started.value
        return ChildProcess(pid: pid, exit: exit, exited: exited)
    }

    /// Whether the child itself (not necessarily its whole group) has exited and been reaped.
    public var hasExited: Bool { exited.isSet }

    /// Waits until the child exits.
    public func wait() async -> ExitStatus {
        await exit.value
    }

    /// Sends `signal` to every process of the child's group. Returns false when the group is gone.
    @discardableResult
    public func signalGroup(_ signal: Int32) -> Bool {
        kill(-pid, signal) == 0
    }

    /// Whether any process of the child's group is still alive.
    public var groupIsAlive: Bool {
        if kill(-pid, 0) == 0 { return true }
        return errno == EPERM
    }

    /// The executable `executable` names: itself when it holds a `/`, else the first on `path` (a PATH value).
    public static func locate(_ executable: String, path: String) -> String? {
        if executable.contains("/") {
            return access(executable, X_OK) == 0 ? executable : nil
        }
        for directory in path.split(separator: ":") where !directory.isEmpty {
            let candidate = "\(directory)/\(executable)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }
}

/// A flag set once the child has been reaped, read from tasks.
private final class ExitFlag: Sendable {
    private let value = Mutex(false)

    func set() { value.withLock { $0 = true } }
    var isSet: Bool { value.withLock { $0 } }
}

/// The child's pid, or why it did not start, handed from the running task to `spawn` once.
private final class StartSignal: Sendable {
    private let state = Mutex<(result: Result<pid_t, ChildProcessError>?, waiter: CheckedContinuation<pid_t, any Error>?)>((nil, nil))

    func resume(_ result: Result<pid_t, ChildProcessError>) {
        let waiter = state.withLock { state -> CheckedContinuation<pid_t, any Error>? in
            guard state.result == nil else { return nil }
            state.result = result
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(with: result.mapError { $0 as any Error })
    }

    var value: pid_t {
        get async throws {
            try await withCheckedThrowingContinuation { continuation in
                let result = state.withLock { state -> Result<pid_t, ChildProcessError>? in
                    if state.result == nil { state.waiter = continuation }
                    return state.result
                }
                if let result { continuation.resume(with: result.mapError { $0 as any Error }) }
            }
        }
    }
}

/// Why a child could not be started.
public enum ChildProcessError: Error, Equatable, CustomStringConvertible {
    case notFound(String)
    case spawnFailed(String, String)

    public var description: String {
        switch self {
        case .notFound(let executable): return "\(executable) not found (not on PATH or not executable)"
        case .spawnFailed(let executable, let reason): return "cannot start \(executable): \(reason)"
        }
    }
}
