import Foundation
import TestSupport
import Testing

/// Schedules with the real processes: two gateways on one database take each due time of a schedule once.
@Suite(.enabled(if: TestServices.available))
struct ScheduleTests {
    @Test func twoGatewaysLaunchOneJobPerMinute() async throws {
        // No worker: the jobs are launched and stay pending, which is all this test looks at.
        try await Stack.with(workers: 0) { try await run($0) }
    }

    private func run(_ stack: Stack) async throws {
        let second = try await stack.addGateway(name: "pansible-gateway-b")
        let repository = try await GitRepositoryFixture.create(files: ["site.yml": "- hosts: all\n  tasks: []\n"], in: stack.directory.path)
        let inventory = try await stack.api(
            "POST", "/api/v1/inventory", body: ["name": "web", "env": "alpha", "version": "1", "hosts": "all:\n  hosts:\n    a:\n"])
        let playbook = try await stack.api("POST", "/api/v1/playbook", body: ["name": "site", "git_repo": repository.url.path, "entry": "site.yml"])
        // Made through the second gateway; both run it.
        let created = try await stack.request(
            "POST", second.appendingPathComponent("api/v1/schedule"),
            body: [
                "name": "every-minute", "cron": "* * * * *",
                "job": ["env": "alpha", "playbook_id": playbook.object["id"] as Any, "inventory_id": inventory.object["id"] as Any],
            ])
        #expect(created.status == 201, "\(created.text)")
        let id = try #require(created.object["id"] as? Int)
        let first = try Date(try #require(created.object["next_run_at"] as? String), strategy: .iso8601)
        // Three due times, and a little while past the third for its launch.
        let wait = first.addingTimeInterval(120 + 10).timeIntervalSinceNow
        try await Task.sleep(for: .seconds(max(wait, 0)))

        let page = try await stack.api("GET", "/api/v1/jobs?limit=100")
        let jobs = (page.object["jobs"] as? [[String: Any]] ?? []).filter { $0["schedule_id"] as? Int == id }
        let minutes = jobs.compactMap { ($0["created_at"] as? String).flatMap { try? Date($0, strategy: .iso8601) } }
            .map { Int($0.timeIntervalSince1970 / 60) }
        #expect(jobs.count == 3, "\(jobs)")
        if jobs.count != 3 { Issue.record("\(stack.logs())") }
        #expect(Set(minutes).count == jobs.count, "one job per minute: \(minutes)")
        #expect(minutes.min() == Int(first.timeIntervalSince1970 / 60))
        let schedule = try await stack.api("GET", "/api/v1/schedule/\(id)")
        #expect(schedule.object["last_error"] is NSNull)
    }
}
