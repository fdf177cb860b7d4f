import Foundation
import Logging
import NIOConcurrencyHelpers
import PostgresNIO
import TestSupport
import Testing

@testable import Shared

/// `failingWhenClosed` on a real PostgreSQL: work whose backend goes away fails instead of waiting forever.
@Suite(.enabled(if: TestServices.available))
struct ConnectionCloseWatchTests {
    let logger = Logger(label: "test.close-watch")

    @Test func aStatementWaitingOnALockFailsWhenItsBackendIsTerminated() async throws {
        try await Self.withDatabase { client in
            let job = UUID()
            try await client.query("CREATE TABLE jobs (uuid uuid PRIMARY KEY)", logger: logger)
            try await client.query("INSERT INTO jobs (uuid) VALUES (\(job))", logger: logger)
            try await client.withConnection { holder in
                try await holder.query("BEGIN", logger: logger)
                try await Self.drain(try await holder.query("SELECT uuid FROM jobs WHERE uuid = \(job) FOR UPDATE", logger: logger))
                try await client.withConnection { waiter in
                    let pid = try await Self.backendPID(of: waiter)
                    let logger = self.logger
                    let waiting = Outcome<Void>()
                    waiting.run {
                        try await waiter.failingWhenClosed(poll: .milliseconds(50), grace: .milliseconds(500)) { connection in
                            try await connection.withTransaction(logger: logger) { connection in
                                try await Self.drain(
                                    try await connection.query("SELECT uuid FROM jobs WHERE uuid = \(job) FOR UPDATE", logger: logger))
                            }
                        }
                    }
                    let blocked = await TestServices.eventually(timeout: .seconds(60)) {
                        (try? await Self.isWaitingOnALock(pid, client: client)) ?? false
                    }
                    #expect(blocked)
                    try await client.query("SELECT pg_terminate_backend(\(Int32(pid)))", logger: logger)
                    let result = await waiting.result(within: .seconds(120))
                    #expect(result != nil, "the statement was still waiting two minutes after its backend was terminated")
                    #expect(result?.failed == true)
                    #expect(waiter.isClosed)
                }
                try await holder.query("ROLLBACK", logger: logger)
            }
        }
    }

    /// What postgres-nio sometimes does when the server goes away mid-statement: the wait never ends, whatever
    /// cancellation says. The watch walks away from it once the connection is closed.
    @Test func workStuckOnAClosedConnectionFailsAfterTheGrace() async throws {
        try await Self.withDatabase { client in
            let gate = Gate()
            try await client.withConnection { connection in
                let watched = Outcome<Void>()
                watched.run {
                    try await connection.failingWhenClosed(poll: .milliseconds(50), grace: .milliseconds(300)) { connection in
                        try await connection.close()
                        await gate.wait()
                    }
                }
                let result = await watched.result(within: .seconds(120))
                #expect(await TestServices.eventually(timeout: .seconds(60)) { gate.isWaiting })
                gate.open()
                #expect(result != nil, "the watch did not give up on work stuck on a closed connection")
                #expect(result?.error is ConnectionLostError)
            }
        }
    }

    @Test func workOnAnOpenConnectionReturnsItsValueOrItsError() async throws {
        try await Self.withDatabase { client in
            try await client.withConnection { connection in
                let logger = self.logger
                let value = try await connection.failingWhenClosed { connection in
                    var sum = 0
                    for try await n in try await connection.query("SELECT 20 + 22", logger: logger).decode(Int.self) { sum += n }
                    return sum
                }
                #expect(value == 42)
                await #expect(throws: PSQLError.self) {
                    try await connection.failingWhenClosed { connection in
                        try await connection.query("SELECT * FROM no_such_table", logger: logger)
                    }
                }
                #expect(!connection.isClosed)
            }
        }
    }

    @Test func abandonedWorkGivesWayToTheWatchesError() async throws {
        let gate = Gate()
        await #expect(throws: ConnectionLostError.self) {
            try await AbandonableTask.run({ await gate.wait() }, timeout: .milliseconds(100)) { ConnectionLostError() }
        }
        #expect(await TestServices.eventually(timeout: .seconds(60)) { gate.isWaiting })
        gate.open()
        let value = try await AbandonableTask.run({ 42 }, timeout: .seconds(60)) { ConnectionLostError() }
        #expect(value == 42)
    }

    static func withDatabase(_ body: @Sendable (PostgresClient) async throws -> Void) async throws {
        let database = try await TestServices.createDatabase()
        do {
            try await TestServices.withPostgresClient(url: database.url, body)
        } catch {
            try? await TestServices.dropDatabase(database.name)
            throw error
        }
        try await TestServices.dropDatabase(database.name)
    }

    static func drain(_ rows: PostgresRowSequence) async throws {
        for try await _ in rows {}
    }

    static func backendPID(of connection: PostgresConnection) async throws -> Int {
        for try await pid in try await connection.query("SELECT pg_backend_pid()", logger: Logger(label: "test.close-watch")).decode(Int.self) {
            return pid
        }
        throw ConnectionLostError()
    }

    static func isWaitingOnALock(_ pid: Int, client: PostgresClient) async throws -> Bool {
        let rows = try await client.query(
            "SELECT count(*) FROM pg_stat_activity WHERE pid = \(Int32(pid)) AND wait_event_type = 'Lock'", logger: Logger(label: "test.close-watch"))
        for try await count in rows.decode(Int.self) { return count == 1 }
        return false
    }
}

/// The result of work started in a task of its own, awaited for a bounded time.
private final class Outcome<Value: Sendable>: Sendable {
    private let box = NIOLockedValueBox<Result<Value, any Error>?>(nil)

    func run(_ work: @escaping @Sendable () async throws -> Value) {
        Task {
            let result: Result<Value, any Error>
            do { result = .success(try await work()) } catch { result = .failure(error) }
            box.withLockedValue { $0 = result }
        }
    }

    /// The result, or nil when the work has not finished within `timeout`.
    func result(within timeout: Duration) async -> Result<Value, any Error>? {
        _ = await TestServices.eventually(timeout: timeout) { box.withLockedValue { $0 != nil } }
        return box.withLockedValue { $0 }
    }
}

fileprivate extension Result {
    var failed: Bool { error != nil }
    var error: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}

/// A wait that ignores cancellation and ends only when opened.
private final class Gate: Sendable {
    private let waiter = NIOLockedValueBox<(opened: Bool, continuation: CheckedContinuation<Void, Never>?)>((false, nil))

    var isWaiting: Bool { waiter.withLockedValue { $0.continuation != nil } }

    func wait() async {
        await withCheckedContinuation { continuation in
            let opened = waiter.withLockedValue { state in
                if !state.opened { state.continuation = continuation }
                return state.opened
            }
            if opened { continuation.resume() }
        }
    }

    func open() {
        let continuation = waiter.withLockedValue { state in
            state.opened = true
            defer { state.continuation = nil }
            return state.continuation
        }
        continuation?.resume()
    }
}
