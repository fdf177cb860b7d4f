import Foundation
import TestSupport
import Testing

/// The web view in a real browser (headless Chromium through chromedriver) over the whole stack: a job's host grid
/// reaches, host by host, the state its result shows, and its cancel button cancels a job.
@Suite(.enabled(if: WebDriver.available), .serialized)
struct WebViewTests {
    /// Hosts 3, 17, 29 (and 113, 157) fail, the last one is unreachable, the even-numbered ones change something.
    static let playbook = """
        - name: Grid
          hosts: all
          gather_facts: false
          tasks:
            - name: Answer
              ansible.builtin.ping:
            - name: Take a moment
              ansible.builtin.wait_for:
                timeout: 2
            - name: Fail where asked
              ansible.builtin.fail:
                msg: "{{ inventory_hostname }} was asked to fail"
              when: (inventory_hostname[3:] | int) in [3, 17, 29, 113, 157]
            - name: Change the even ones
              ansible.builtin.set_fact:
                marker: "{{ inventory_hostname }}"
              changed_when: (inventory_hostname[-1] | int) is even
        """

    /// web01 … web(hosts), numbered with as many digits as `hosts` has (at least two); the last one is unreachable.
    static func inventory(hosts: Int) -> String {
        let width = max(2, String(hosts).count)
        func name(_ number: Int) -> String { String(repeating: "0", count: width - String(number).count) + String(number) }
        return """
            all:
              hosts:
                web[\(name(1)):\(name(hosts - 1))]:
                web\(name(hosts)):
                  ansible_connection: ssh
                  ansible_host: 127.0.0.1
                  ansible_port: 1
              vars:
                ansible_connection: local
                ansible_python_interpreter: "{{ ansible_playbook_python }}"
            """
    }

    static let sleeper = """
        - name: Sleep
          hosts: all
          gather_facts: false
          tasks:
            - name: Sleep long
              ansible.builtin.command: sleep 600
        """

    /// The state the page must show for a host, from its stats in `GET /api/v1/job/result/{uuid}`.
    static func state(ofStats stats: [String: Any]?) -> String {
        guard let stats else { return "pending" }
        if (stats["failed"] as? Int ?? 0) > 0 { return "failed" }
        if stats["unreachable"] as? Bool == true { return "unreachable" }
        if (stats["changed"] as? Int ?? 0) > 0 { return "changed" }
        if (stats["ok"] as? Int ?? 0) > 0 { return "ok" }
        return "skipped"
    }

    static let cellStates =
        "return Object.fromEntries([...document.querySelectorAll('#grid [data-host]')].map(e => [e.dataset.host, e.dataset.state]))"

    @Test func theHostGridReachesEveryHostsResult() async throws {
        try await withStackAndBrowser { stack, browser in
            let uuid = try await launch(Self.playbook, inventory: Self.inventory(hosts: 30), shards: 3, on: stack)
            try await browser.open("\(stack.gatewayURL.absoluteString)/ui/jobs/\(uuid)#token=\(stack.adminToken)")
            // The token left the address bar as soon as the page read it.
            #expect(try await browser.execute("return location.hash") as? String == "")

            let job = try await stack.waitForJob(uuid)
            #expect(job["status"] as? String == "failed")
            let result = try await stack.api("GET", "/api/v1/job/result/\(uuid)").object
            let expected = result.mapValues { Self.state(ofStats: ($0 as? [String: Any])?["stats"] as? [String: Any]) }
            #expect(expected.count == 30)
            #expect(Set(expected.values) == ["ok", "changed", "failed", "unreachable"], "\(expected)")
            #expect(expected["web03"] == "failed" && expected["web30"] == "unreachable" && expected["web02"] == "changed")

            var shown: [String: String] = [:]
            let matched = try await TestServices.eventually(timeout: .seconds(60)) {
                shown = try await browser.execute(Self.cellStates) as? [String: String] ?? [:]
                return shown == expected
            }
            #expect(matched, "the grid shows \(shown), the result \(expected)")

            // The recap lists every host; the filter leaves the failed hosts only.
            let recapShown = try await TestServices.eventually(timeout: .seconds(120)) {
                try await browser.execute("return document.querySelectorAll('#recap tbody tr').length") as? Int == 30
            }
            #expect(recapShown)
            try await browser.click("#filters [data-filter=failed]")
            let visible =
                "return [...document.querySelectorAll('#grid [data-host]')].filter(e => e.offsetParent !== null).map(e => e.dataset.host).sort()"
            #expect(try await browser.execute(visible) as? [String] == ["web03", "web17", "web29"])
            #expect(try await browser.execute("return document.getElementById('current-task').textContent") as? String != "—")

            // The job list links to the job.
            try await browser.open("\(stack.gatewayURL.absoluteString)/ui/jobs")
            let listed = try await TestServices.eventually(timeout: .seconds(120)) {
                try await browser.execute("return document.querySelectorAll('#jobs a[href=\"/ui/jobs/\(uuid)\"]').length") as? Int == 1
            }
            #expect(listed)
        }
    }

    @Test func theCancelButtonCancelsTheJob() async throws {
        try await withStackAndBrowser { stack, browser in
            let inventory =
                "all:\n  hosts:\n    sleeper[1:2]:\n  vars:\n    ansible_connection: local\n"
                + "    ansible_python_interpreter: \"{{ ansible_playbook_python }}\"\n"
            let uuid = try await launch(Self.sleeper, inventory: inventory, shards: 1, on: stack)
            try await browser.open("\(stack.gatewayURL.absoluteString)/ui/jobs/\(uuid)#token=\(stack.adminToken)")
            // Both hosts are running the sleep, as the page shows them.
            let running = try await TestServices.eventually(timeout: .seconds(120)) {
                let shown = try await browser.execute(Self.cellStates) as? [String: String] ?? [:]
                return shown == ["sleeper1": "running", "sleeper2": "running"]
            }
            #expect(running)
            try await browser.click("#cancel")
            let job = try await stack.waitForJob(uuid, timeout: .seconds(120))
            #expect(job["status"] as? String == "canceled", "\(job)")
            let shownCanceled = try await TestServices.eventually(timeout: .seconds(120)) {
                try await browser.execute("return document.getElementById('status').textContent") as? String == "canceled"
            }
            #expect(shownCanceled)
        }
    }

    /// With `PANSIBLE_WEBVIEW_SCREENSHOT=PATH`: a PNG of the grid of a 200-host job, for the README.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["PANSIBLE_WEBVIEW_SCREENSHOT"] != nil))
    func aScreenshotOfTheGrid() async throws {
        let path = try #require(ProcessInfo.processInfo.environment["PANSIBLE_WEBVIEW_SCREENSHOT"])
        try await withStackAndBrowser(width: 1100, height: 760) { stack, browser in
            let uuid = try await launch(Self.playbook, inventory: Self.inventory(hosts: 200), shards: 4, on: stack)
            try await browser.open("\(stack.gatewayURL.absoluteString)/ui/jobs/\(uuid)#token=\(stack.adminToken)")
            _ = try await stack.waitForJob(uuid, timeout: .seconds(600))
            let settled = try await TestServices.eventually(timeout: .seconds(60)) {
                try await browser.execute("return document.getElementById('recap').querySelectorAll('tbody tr').length") as? Int == 200
            }
            #expect(settled)
            try await browser.execute("document.getElementById('recap-section').open = false")
            try await Task.sleep(for: .milliseconds(500))
            try await browser.screenshot().write(to: URL(fileURLWithPath: path))
        }
    }

    /// Registers `playbook` (in a git repository) and `inventory`, launches a job; returns its uuid.
    private func launch(_ playbook: String, inventory: String, shards: Int, on stack: Stack) async throws -> String {
        let repository = try await GitRepositoryFixture.create(files: ["site.yml": playbook], in: stack.directory.path)
        let created = try await stack.api("POST", "/api/v1/inventory", body: ["name": "web", "env": "test", "version": "1", "hosts": inventory])
        #expect(created.status == 201, "\(created.text)")
        let book = try await stack.api("POST", "/api/v1/playbook", body: ["name": "web", "git_repo": repository.url.path, "entry": "site.yml"])
        #expect(book.status == 201, "\(book.text)")
        let playbookID = try #require(book.object["id"])
        let inventoryID = try #require(created.object["id"])
        let launch = try await stack.api(
            "POST", "/api/v1/job", body: ["env": "test", "playbook_id": playbookID, "inventory_id": inventoryID, "shards": shards, "forks": 20])
        #expect(launch.status == 201, "\(launch.text)")
        return try #require(launch.object["uuid"] as? String)
    }

    /// Runs `body` with a stack of two workers and a browser, stopping both afterwards, and the logs on failure.
    private func withStackAndBrowser(width: Int = 1280, height: Int = 900, _ body: (Stack, WebDriver) async throws -> Void) async throws {
        let stack = try await Stack.start(workers: 2)
        do {
            let browser = try await WebDriver.start(in: stack.directory, width: width, height: height)
            do {
                try await body(stack, browser)
            } catch {
                Issue.record("\(error)\n\(stack.logs())")
            }
            await browser.stop()
        } catch {
            Issue.record("\(error)")
        }
        await stack.stop()
    }
}
