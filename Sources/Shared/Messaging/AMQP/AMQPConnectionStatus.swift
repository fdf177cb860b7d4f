import Foundation

/// Whether the connection's thread currently holds an open, set-up connection (for readiness checks).
///
/// `@unchecked Sendable`: `connected` is read and written only while holding `lock`.
final class AMQPConnectionStatus: @unchecked Sendable {
    private let lock = NSLock()
    private var connected = false

    var isConnected: Bool {
        get {
            lock.lock()
            defer { lock.unlock() }
            return connected
        }
        set {
            lock.lock()
            connected = newValue
            lock.unlock()
        }
    }
}

/// Hands out consumer ids.
///
/// `@unchecked Sendable`: `last` is read and written only while holding `lock`.
final class AMQPIDGenerator: @unchecked Sendable {
    private let lock = NSLock()
    private var last = 0

    func next() -> Int {
        lock.lock()
        defer { lock.unlock() }
        last += 1
        return last
    }
}
