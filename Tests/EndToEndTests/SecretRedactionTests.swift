import Foundation
import TestSupport
import Testing

/// A password in a playbook's git URL is used to fetch the repository and shown nowhere: not in the
/// playbook's API answers, nor in the job's reason, events and output, nor in any process's log.
@Suite(.enabled(if: TestServices.available))
struct SecretRedactionTests {
    @Test func aPasswordInAGitURLIsNeverShown() async throws {
        try await Stack.with(workers: 0) { try await run($0) }
    }

    private func run(_ stack: Stack) async throws {
        let secret = "s3cret-\(UUID().uuidString.prefix(8))"
        // Nothing listens on port 1: the repository is unreachable and the job cannot be split.
        let url = "http://deploy:\(secret)@127.0.0.1:1/site.git"
        let inventory = try await stack.api(
            "POST", "/api/v1/inventory", body: ["name": "secrets", "env": "test", "version": "1", "hosts": "all:\n  hosts:\n    h1:\n"])
        #expect(inventory.status == 201, "\(inventory.text)")
        let created = try await stack.api("POST", "/api/v1/playbook", body: ["name": "private", "git_repo": url, "entry": "site.yml"])
        #expect(created.status == 201, "\(created.text)")
        #expect(created.object["git_repo"] as? String == "http://deploy:***@127.0.0.1:1/site.git")
        let id = try #require(created.object["id"] as? Int)

        let job = try await stack.api("POST", "/api/v1/job", body: ["env": "test", "playbook_id": id, "inventory_id": inventory.object["id"]!])
        #expect(job.status == 201, "\(job.text)")
        let uuid = try #require(job.object["uuid"] as? String)
        let ended = try await stack.waitForJob(uuid, timeout: .seconds(120))
        #expect(ended["status"] as? String == "error")
        let reason = ended["status_reason"] as? String ?? ""
        #expect(reason.contains("deploy:***@127.0.0.1:1"), "\(reason)")

        var shown: [String: String] = [
            "playbook create": created.text,
            "playbook get": try await stack.api("GET", "/api/v1/playbook/\(id)").text,
            "playbook list": try await stack.api("GET", "/api/v1/playbook").text,
            "job": try await stack.api("GET", "/api/v1/job/\(uuid)").text,
            "events": try await stack.api("GET", "/api/v1/job/\(uuid)/events").text,
            "stdout": try await stack.api("GET", "/api/v1/job/\(uuid)/stdout").text,
        ]
        for process in stack.processes { shown["log of \(process.name)"] = process.log() }
        for (place, text) in shown {
            #expect(!text.contains(secret), "the password shows in the \(place): \(text.suffix(2000))")
        }
    }
}
