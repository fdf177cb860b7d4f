import Foundation
import TestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// A TCP listener on loopback that accepts connections, counts them and never answers: a git server that stalls,
/// or a marker a sandboxed playbook can reach.
/// `git://127.0.0.1:<port>/repo` waits on it for ever (git has no timeout of its own).
final class StalledGitServer: @unchecked Sendable {
    // @unchecked: `listener` is immutable after init; `accepted` and `connections` are only touched under `lock`.
    let port: UInt16
    private let listener: Int32
    private let lock = NSLock()
    private var connections: [Int32] = []
    private var closed = false

    init() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw TestFailure("socket: \(String(cString: strerror(errno)))") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(listener, 16) == 0 else { throw TestFailure("bind/listen: \(String(cString: strerror(errno)))") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        self.listener = listener
        port = UInt16(bigEndian: address.sin_port)
        let thread = Thread { [self] in acceptForever() }
        thread.start()
    }

    /// A repository URL on this server.
    var repositoryURL: String { "git://127.0.0.1:\(port)/stalled.git" }

    /// Connections accepted so far (git connected and waits for an answer).
    var connectionCount: Int { lock.withLock { connections.count } }

    /// Closes the listener and every connection: a waiting git then fails at once.
    func close() {
        let open = lock.withLock { () -> [Int32] in
            guard !closed else { return [] }
            closed = true
            defer { connections = [] }
            return connections
        }
        shutdown(listener, Int32(SHUT_RDWR))
        for connection in open { Glibc.close(connection) }
    }

    private func acceptForever() {
        while true {
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else {
                if errno == EINTR { continue }
                Glibc.close(listener)
                return
            }
            let keep = lock.withLock { () -> Bool in
                guard !closed else { return false }
                connections.append(connection)
                return true
            }
            if !keep { Glibc.close(connection) }
        }
    }

    /// Waits (bounded) until git has connected.
    func waitForConnection(seconds: Double = 60) async throws {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while connectionCount == 0 {
            guard ContinuousClock.now < deadline else { throw TestFailure("git did not connect to the stalled server within \(seconds) s") }
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}
