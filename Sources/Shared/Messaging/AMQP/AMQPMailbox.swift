import CRabbitMQ
import Foundation

/// The queue of commands from async callers to the connection's thread, and the pipe that wakes the thread
/// when it sleeps in `poll`.
///
/// `@unchecked Sendable`: every mutable field is read and written only while holding `lock`; the pipe's file
/// descriptors never change after `init`.
final class AMQPMailbox: @unchecked Sendable {
    private let lock = NSLock()
    private var commands: [AMQPCommand] = []
    private var sleeping = false
    /// While set, acknowledgements do not wake the sleeping thread (it sleeps only briefly then).
    private var lazyAcks = false
    private var closed = false
    let wakeReadFD: Int32
    private let wakeWriteFD: Int32

    init() {
        var fds: [Int32] = [-1, -1]
        if pansible_wake_pipe(&fds) != 0 {
            // Without a pipe the thread still polls with a short time-out; commands only wait longer.
            fds = [-1, -1]
        }
        wakeReadFD = fds[0]
        wakeWriteFD = fds[1]
    }

    deinit {
        if wakeReadFD >= 0 { close(wakeReadFD) }
        if wakeWriteFD >= 0 { close(wakeWriteFD) }
    }

    /// Queues a command; false once the thread has stopped (the command was not queued).
    func push(_ command: AMQPCommand) -> Bool {
        lock.lock()
        if closed {
            lock.unlock()
            return false
        }
        commands.append(command)
        let wake = sleeping && !(lazyAcks && command.isSettlement && commands.count < Self.lazyLimit)
        if wake { sleeping = false }
        lock.unlock()
        if wake && wakeWriteFD >= 0 { pansible_wake(wakeWriteFD) }
        return true
    }

    /// Every queued command, oldest first.
    func take() -> [AMQPCommand] {
        lock.lock()
        defer { lock.unlock() }
        if commands.isEmpty { return [] }
        let taken = commands
        commands.removeAll(keepingCapacity: true)
        return taken
    }

    /// Settlements that may wait for the thread's short sleep to end before one of them wakes it.
    static let lazyLimit = 24

    /// Marks the thread as about to sleep; false (and no sleep) when commands are waiting. With `lazyAcks`
    /// (the thread sleeps at most a millisecond or so), acks and nacks are left for it to find when it wakes,
    /// which saves a wake-up per message under load.
    func prepareToSleep(lazyAcks: Bool) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if !commands.isEmpty { return false }
        sleeping = true
        self.lazyAcks = lazyAcks
        return true
    }

    /// Called after the sleep: later pushes need not write to the pipe until the next sleep.
    func awake(drain: Bool) {
        lock.lock()
        sleeping = false
        lock.unlock()
        if drain && wakeReadFD >= 0 { pansible_drain(wakeReadFD) }
    }

    /// Refuses further commands and returns those still queued.
    func closeAndTakeRemaining() -> [AMQPCommand] {
        lock.lock()
        defer { lock.unlock() }
        closed = true
        let remaining = commands
        commands = []
        return remaining
    }
}
