import Foundation
import Logging
import PostgresNIO
import Shared
import TestSupport
import Testing
import _ConnectionPoolModule

@testable import Gateway

/// Which failures the gateway answers 503 (the database is unreachable) rather than 500.
struct DatabaseUnavailableTests {
    @Test func lostConnectionsAndAPoolThatGaveUpAreUnavailability() {
        #expect(DatabaseUnavailability.isUnavailable(ConnectionLostError()))
        #expect(DatabaseUnavailability.isUnavailable(ConnectionPoolError.connectionCreationCircuitBreakerTripped))
        #expect(!DatabaseUnavailability.isUnavailable(ConnectionPoolError.requestCancelled))
        #expect(!DatabaseUnavailability.isUnavailable(APIError.notFound("job", id: "x")))
        #expect(!DatabaseUnavailability.isUnavailable(CancellationError()))
    }

    @Test(.enabled(if: TestServices.available))
    func aStatementWhoseBackendIsTerminatedFailsAsUnavailability() async throws {
        let logger = Logger(label: "test.unavailable")
        try await TestServices.withPostgresClient { client in
            try await client.withConnection { connection in
                var pid: Int32 = 0
                for try await value in try await connection.query("SELECT pg_backend_pid()", logger: logger).decode(Int32.self) { pid = value }
                let sleeping = Task {
                    try await connection.failingWhenClosed(poll: .milliseconds(50), grace: .milliseconds(500)) { connection in
                        for try await _ in try await connection.query("SELECT pg_sleep(60)", logger: logger) {}
                    }
                }
                let started = await TestServices.eventually(timeout: .seconds(120)) {
                    let rows = try? await client.query(
                        "SELECT count(*) FROM pg_stat_activity WHERE pid = \(pid) AND query = 'SELECT pg_sleep(60)' AND state = 'active'",
                        logger: logger)
                    return (try? await rows?.decode(Int.self).first { _ in true }) == 1
                }
                #expect(started)
                try await client.query("SELECT pg_terminate_backend(\(pid))", logger: logger)
                let error = await #expect(throws: (any Error).self) { try await sleeping.value }
                #expect(error.map(DatabaseUnavailability.isUnavailable) == true, "\(error.map { String(reflecting: $0) } ?? "")")
            }
        }
    }

    @Test(.enabled(if: TestServices.available))
    func aQueryTheServerRefusesIsNotUnavailability() async throws {
        let logger = Logger(label: "test.unavailable")
        try await TestServices.withPostgresClient { client in
            let error = await #expect(throws: PSQLError.self) {
                try await client.query("SELECT * FROM no_such_table", logger: logger)
            }
            #expect(error.map(DatabaseUnavailability.isUnavailable) == false)
        }
    }
}
