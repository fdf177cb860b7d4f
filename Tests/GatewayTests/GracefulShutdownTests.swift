import Foundation
import Logging
import PostgresNIO
import Prometheus
import ServiceLifecycle
import ServiceLifecycleTestKit
import Shared
import TestSupport
import Testing

@testable import Gateway

@Suite(.enabled(if: TestServices.available), .timeLimit(.minutes(5)))
struct GracefulShutdownTests {
    @Test func theGatewayMigratesRelaysAndStopsOnGracefulShutdown() async throws {
        var logger = Logger(label: "test.shutdown")
        logger.logLevel = .error
        let database = try await TestServices.createDatabase()
        defer { Task { try? await TestServices.dropDatabase(database.name) } }
        let configuration = try GatewayTestApp.configuration(databaseURL: database.url)
        let publisher = RecordingPublisher()
        let group = try buildGateway(configuration: configuration, logger: logger, registry: PrometheusCollectorRegistry(), publisher: publisher)
        do {
            try await Self.runAndShutDown(group, databaseURL: database.url, publisher: publisher)
        } catch {
            Issue.record("\(String(reflecting: error))")
        }
    }

    private static func runAndShutDown(_ group: ServiceGroup, databaseURL: URL, publisher: RecordingPublisher) async throws {
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                try await TestServices.withPostgresClient(url: databaseURL) { postgres in
                    let migrated = await TestServices.eventually(timeout: .seconds(120)) {
                        (try? await postgres.query("SELECT count(*) FROM schema_migrations").decode(Int.self).first { _ in true })
                            == Migration.all.count
                    }
                    try #require(migrated)
                    try await postgres.query(
                        "INSERT INTO outbox (exchange, routing_key, message_id, body) VALUES ('pansible.jobs', 'job', 'job/x', convert_to('{}', 'UTF8'))"
                    )
                }
                #expect(await publisher.waitForCount(1).map(\.messageID) == ["job/x"])
                trigger.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
        }
    }
}
