import Foundation

/// A built Pansible binary run as a child process, its output kept in a log file.
public final class ServiceProcess: @unchecked Sendable {
    // Safe: `process` is only started in init and then used through Foundation's thread-safe calls.
    public let name: String
    public let logFile: URL
    private let process: Process

    /// The directory of the binaries `swift build` made (`.build/debug`).
    public static var binaryDirectory: URL {
        if let directory = ProcessInfo.processInfo.environment["PANSIBLE_BIN_DIR"] {
            return URL(fileURLWithPath: directory)
        }
        return TestServices.repositoryRoot.appendingPathComponent(".build/debug")
    }

    public init(binary: String, arguments: [String] = [], environment: [String: String], logDirectory: URL, name: String? = nil) throws {
        self.name = name ?? binary
        self.logFile = logDirectory.appendingPathComponent("\(self.name).log")
        FileManager.default.createFile(atPath: logFile.path, contents: nil)
        let handle = try FileHandle(forWritingTo: logFile)
        process = Process()
        process.executableURL = Self.binaryDirectory.appendingPathComponent(binary)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PANSIBLE_") }
        env.merge(environment) { _, new in new }
        process.environment = env
        process.currentDirectoryURL = TestServices.repositoryRoot
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
    }

    public var pid: Int32 { process.processIdentifier }
    public var isRunning: Bool { process.isRunning }

    /// Sends `signal` (SIGTERM by default) and waits up to `timeout` for the exit.
    public func stop(signal: Int32 = SIGTERM, timeout: Duration = .seconds(20)) async {
        guard process.isRunning else { return }
        kill(process.processIdentifier, signal)
        let deadline = ContinuousClock.now + timeout
        while process.isRunning && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(50))
        }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    public func log() -> String {
        (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}

extension TestServices {
    /// A TCP port that was free a moment ago on 127.0.0.1.
    public static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Polls `condition` every 100 ms until it holds or `timeout` passes; returns whether it held.
    public static func eventually(timeout: Duration = .seconds(60), _ condition: () async throws -> Bool) async rethrows -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return try await condition()
    }
}
