import Foundation
import HummingbirdTesting
import Logging
import PostgresNIO
import Shared
import TestSupport
import Testing

@testable import Gateway

/// Due schedules on PostgreSQL, with several runners (gateways) taking them at once.
@Suite(.enabled(if: TestServices.available))
struct ScheduleRunnerTests {
    static func runners(_ postgres: PostgresClient, count: Int) -> [ScheduleRunner] {
        var logger = Logger(label: "test.schedules")
        logger.logLevel = .warning
        return (0..<count).map { _ in
            ScheduleRunner(
                schedules: SchedulePostgresRepository(client: postgres, logger: logger),
                jobs: JobPostgresRepository(client: postgres, signal: OutboxSignal(), logger: logger), startup: nil, logger: logger
            )
        }
    }

    /// A schedule of a job of env alpha, and the playbook it runs.
    static func schedule(_ client: any TestClientProtocol, cron: String) async throws -> (id: Int64, playbook: Int64) {
        let fixtures = Fixtures(client: client)
        let playbook = try await fixtures.playbook()
        let inventory = try await fixtures.inventory(env: "alpha")
        let created = try await client.create(
            "/api/v1/schedule",
            ["name": "s", "cron": .string(cron), "job": ["env": "alpha", "playbook_id": .int(playbook), "inventory_id": .int(inventory)]])
        return (try #require(created.json["id"]?.intValue), playbook)
    }

    static func scheduledJobs(_ postgres: PostgresClient, schedule: Int64) async throws -> [(uuid: UUID, key: String)] {
        var jobs: [(UUID, String)] = []
        let rows = try await postgres.query("SELECT uuid, idempotency_key FROM jobs WHERE schedule_id = \(schedule) ORDER BY id")
        for try await (uuid, key) in rows.decode((UUID, String).self) { jobs.append((uuid, key)) }
        return jobs
    }

    /// A due time passed while no gateway ran (or several): it launches one job however many gateways look at
    /// once, and the next due time is worked out from now.
    @Test func eachDueTimeLaunchesOneJobWhateverTheNumberOfGateways() async throws {
        try await GatewayTestApp.withApp { client, postgres in
            // Yearly: its own due times never come during the test, only the overdue ones it sets.
            let (id, _) = try await Self.schedule(client, cron: "@yearly")
            let runners = Self.runners(postgres, count: 4)
            for round in 1...3 {
                // Due ten minutes ago, as after an outage of every gateway.
                let due = Date().addingTimeInterval(TimeInterval(-600 * round))
                try await postgres.query("UPDATE schedules SET next_run_at = \(due) WHERE id = \(id)")
                await withTaskGroup(of: Void.self) { group in
                    for runner in runners {
                        group.addTask { for _ in 0..<5 { await runner.runDue() } }
                    }
                }
                let jobs = try await Self.scheduledJobs(postgres, schedule: id)
                #expect(jobs.count == round, "round \(round): \(jobs.map(\.key))")
                let schedule = try await client.api("/api/v1/schedule/\(id)", method: .get).json()
                #expect(schedule["last_job_uuid"]?.stringValue == jobs.last?.uuid.uuidString.lowercased())
                #expect(schedule["last_error"] == .null)
                let next = try Date(try #require(schedule["next_run_at"]?.stringValue), strategy: .iso8601)
                #expect(next > Date().addingTimeInterval(-1))
            }
            let jobs = try await Self.scheduledJobs(postgres, schedule: id)
            #expect(Set(jobs.map(\.key)).count == 3)
            #expect(jobs.allSatisfy { $0.key.hasPrefix("schedule/\(id)/") })
            // The job shows where it came from.
            let job = try await client.api("/api/v1/job/\(try #require(jobs.first).uuid.uuidString.lowercased())", method: .get).json()
            #expect(job["schedule_id"]?.intValue == id)
        }
    }

    /// A gateway stopped after launching a due time's job but before recording it: the time is taken again and
    /// finds the same job.
    @Test func aDueTimeTakenAgainFindsItsJob() async throws {
        try await GatewayTestApp.withApp { client, postgres in
            let (id, _) = try await Self.schedule(client, cron: "@daily")
            let schedule = try #require(try await SchedulePostgresRepository(client: postgres, logger: Logger(label: "test")).get(id: id))
            let jobs = JobPostgresRepository(client: postgres, signal: OutboxSignal(), logger: Logger(label: "test"))
            let first = await ScheduleRunner.launch(schedule, jobs: jobs, logger: Logger(label: "test"))
            let again = await ScheduleRunner.launch(schedule, jobs: jobs, logger: Logger(label: "test"))
            #expect(first.jobUUID != nil)
            #expect(again.jobUUID == first.jobUUID)
            #expect(try await Self.scheduledJobs(postgres, schedule: id).count == 1)
        }
    }

    /// A schedule whose playbook is gone launches nothing and says why, and is due again next time.
    @Test func aScheduleThatCannotLaunchSaysWhy() async throws {
        try await GatewayTestApp.withApp { client, postgres in
            let (id, playbook) = try await Self.schedule(client, cron: "@daily")
            #expect(try await client.api("/api/v1/playbook/\(playbook)", method: .delete).status == .noContent)
            try await postgres.query("UPDATE schedules SET next_run_at = now() - interval '1 minute' WHERE id = \(id)")
            // This runner or the app's own (it looks every second) takes the due time; with SKIP LOCKED, this one
            // may return while the app's is still recording it.
            await Self.runners(postgres, count: 1)[0].runDue()
            var schedule: JSONValue = .null
            _ = try await TestServices.eventually(timeout: .seconds(60)) {
                schedule = try await client.api("/api/v1/schedule/\(id)", method: .get).json()
                return schedule["last_error"] != .null
            }
            #expect(schedule["last_error"]?.stringValue?.contains("playbook \(playbook) does not exist") == true, "\(schedule)")
            #expect(schedule["last_job_uuid"] == .null)
            #expect(schedule["next_run_at"]?.stringValue != nil)
            #expect(try await Self.scheduledJobs(postgres, schedule: id).isEmpty)
        }
    }
}
