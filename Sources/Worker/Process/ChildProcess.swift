import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A child process started with `posix_spawn` as the leader of its own process group, so the whole tree it
/// starts (Ansible's forks, ssh) can be signalled at once. Foundation's `Process` sets no process group.
///
/// Standard input is `/dev/null`; standard output and error share one file (so their order is kept); every
/// other descriptor of the worker is closed in the child, and signal dispositions and mask are reset (the
/// service group ignores SIGTERM/SIGINT in the worker, and ignored signals would otherwise be inherited).
/// The exit is awaited on a dedicated thread, never on the cooperative pool.
final class ChildProcess: Sendable {
    let pid: pid_t
    private let exit: Task<ExitStatus, Never>
    private let exited: ExitFlag

    /// How a child ended.
    enum ExitStatus: Sendable, Equatable {
        case exited(Int32)
        case signaled(Int32)

        /// The shell convention: the exit code, or 128 + the signal.
        var code: Int32 {
            switch self {
            case .exited(let code): return code
            case .signaled(let signal): return 128 + signal
            }
        }
    }

    private init(pid: pid_t) {
        self.pid = pid
        let exited = ExitFlag()
        self.exited = exited
        self.exit = Task {
            await withCheckedContinuation { (continuation: CheckedContinuation<ExitStatus, Never>) in
                let thread = Thread {
                    var status: Int32 = 0
                    while waitpid(pid, &status, 0) == -1 {
                        if errno != EINTR {
                            exited.set()
                            continuation.resume(returning: .exited(-1))
                            return
                        }
                    }
                    exited.set()
                    let signal = status & 0x7f
                    if signal == 0 {
                        continuation.resume(returning: .exited((status >> 8) & 0xff))
                    } else {
                        continuation.resume(returning: .signaled(signal))
                    }
                }
                thread.name = "pansible-waitpid-\(pid)"
                thread.start()
            }
        }
    }

    /// Starts `executable` (a path, or a name looked up in the child environment's PATH).
    /// - Parameters:
    ///   - directory: the child's working directory.
    ///   - outputPath: a file created (0600) for the child's standard output and error.
    static func spawn(
        executable: String, arguments: [String], environment: [String: String], directory: String, outputPath: String
    ) throws -> ChildProcess {
        guard let path = resolve(executable, path: environment["PATH"] ?? ProcessInfo.processInfo.environment["PATH"] ?? "") else {
            throw ChildProcessError.notFound(executable)
        }
        var fileActions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&fileActions)
        defer { posix_spawn_file_actions_destroy(&fileActions) }
        posix_spawn_file_actions_addopen(&fileActions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&fileActions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0o600)
        posix_spawn_file_actions_adddup2(&fileActions, 1, 2)
        guard let addChdir = SpawnExtensions.addChdir, let addClosefrom = SpawnExtensions.addClosefrom else {
            throw ChildProcessError.unsupported
        }
        _ = directory.withCString { addChdir(&fileActions, $0) }
        _ = addClosefrom(&fileActions, 3)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        posix_spawnattr_setpgroup(&attributes, 0)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGCHLD, SIGUSR1, SIGUSR2] {
            sigaddset(&defaults, signal)
        }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        posix_spawnattr_setsigmask(&attributes, &emptyMask)

        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, path, &fileActions, &attributes, argv, envp)
        guard result == 0 else {
            throw ChildProcessError.spawnFailed(executable, String(cString: strerror(result)))
        }
        return ChildProcess(pid: pid)
    }

    /// Whether the child itself (not necessarily its whole group) has exited and been reaped.
    var hasExited: Bool { exited.isSet }

    /// Waits (off the cooperative pool) until the child exits.
    func wait() async -> ExitStatus {
        await exit.value
    }

    /// Sends `signal` to every process of the child's group. Returns false when the group is gone.
    @discardableResult
    func signalGroup(_ signal: Int32) -> Bool {
        kill(-pid, signal) == 0
    }

    /// Whether any process of the child's group is still alive.
    var groupIsAlive: Bool {
        if kill(-pid, 0) == 0 { return true }
        return errno == EPERM
    }

    private static func resolve(_ executable: String, path: String) -> String? {
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

/// A flag set once by the waiting thread and read from tasks.
private final class ExitFlag: @unchecked Sendable {
    // @unchecked: `value` is only touched under `lock`.
    private let lock = NSLock()
    private var value = false

    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}

/// Why a child could not be started.
enum ChildProcessError: Error, Equatable, CustomStringConvertible {
    case notFound(String)
    case spawnFailed(String, String)
    case unsupported

    var description: String {
        switch self {
        case .notFound(let executable): return "\(executable) not found (not on PATH or not executable)"
        case .spawnFailed(let executable, let reason): return "cannot start \(executable): \(reason)"
        case .unsupported: return "this C library lacks posix_spawn_file_actions_addchdir_np/addclosefrom_np"
        }
    }
}

/// glibc's `posix_spawn_file_actions_addchdir_np` and `_addclosefrom_np` (2.29 / 2.34), which its headers
/// only declare under `_GNU_SOURCE`, so Swift's Glibc module does not see them; looked up once at run time.
private enum SpawnExtensions {
    typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
    typealias AddClosefrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    static let addChdir: AddChdir? = symbol("posix_spawn_file_actions_addchdir_np").map { unsafeBitCast($0, to: AddChdir.self) }
    static let addClosefrom: AddClosefrom? = symbol("posix_spawn_file_actions_addclosefrom_np").map {
        unsafeBitCast($0, to: AddClosefrom.self)
    }

    private static func symbol(_ name: String) -> UnsafeMutableRawPointer? {
        let handle = dlopen(nil, RTLD_NOW)
        return dlsym(handle, name)
    }
}
