import Foundation
import Shared

/// A built Pansible binary run as a child process, its output kept in a log file.
///
/// It stays in the test process's group, so a test run stopped by `timeout` takes its servers with it.
public final class ServiceProcess: Sendable {
    public let name: String
    public let logFile: URL
    private let child: ChildProcess

    /// The directory of the binaries `swift build` made (`.build/debug`).
    public static var binaryDirectory: URL {
        if let directory = ProcessInfo.processInfo.environment["PANSIBLE_BIN_DIR"] {
            return URL(fileURLWithPath: directory)
        }
        return TestServices.repositoryRoot.appendingPathComponent(".build/debug")
    }

    public init(binary: String, arguments: [String] = [], environment: [String: String], logDirectory: URL, name: String? = nil) async throws {
        self.name = name ?? binary
        self.logFile = logDirectory.appendingPathComponent("\(self.name).log")
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PANSIBLE_") }
        env.merge(environment) { _, new in new }
        child = try await ChildProcess.spawn(
            executable: Self.binaryDirectory.appendingPathComponent(binary).path, arguments: arguments, environment: env,
            directory: TestServices.repositoryRoot.path, outputPath: logFile.path, ownGroup: false
        )
    }

    public var pid: Int32 { child.pid }
    public var isRunning: Bool { !child.hasExited }

    /// Sends `signal` (SIGTERM by default) and waits up to `timeout` for the exit.
    public func stop(signal: Int32 = SIGTERM, timeout: Duration = .seconds(20)) async {
        guard isRunning else { return }
        kill(child.pid, signal)
        let deadline = ContinuousClock.now + timeout
        while isRunning && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(50))
        }
        if isRunning {
            kill(child.pid, SIGKILL)
            _ = await child.wait()
        }
    }

    public func log() -> String {
        (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
    }

    deinit {
        if isRunning { kill(child.pid, SIGKILL) }
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

    /// Polls `measure` every 100 ms until it reaches `target`; gives up only once it has not changed for `stall`,
    /// so a slow but moving count (a loaded machine) is waited for and a stuck one is not. Returns the last value.
    public static func progress(
        toward target: Int, stall: Duration = .seconds(60), _ measure: () async throws -> Int
    ) async rethrows -> Int {
        var last = try await measure()
        var changed = ContinuousClock.now
        while last < target, ContinuousClock.now - changed < stall {
            try? await Task.sleep(for: .milliseconds(100))
            let value = try await measure()
            if value != last {
                last = value
                changed = ContinuousClock.now
            }
        }
        return last
    }
}
