import Foundation
import Shared
import Testing

@testable import Worker

@Suite struct AnsibleInvocationTests {
    let directory = RunDirectory(path: "/w/runs/r")

    func shard(_ options: JobOptions) -> ShardMessage {
        ShardMessage(
            jobUUID: UUID(), jobID: 1, index: 0, count: 1, pool: "default",
            playbook: PlaybookSpec(id: 1, name: "p", gitRepo: "/r", entry: "play/site.yml", commit: "abc1234"), inventory: [:], hosts: [],
            options: options, credential: nil)
    }

    @Test func jobOptionsBecomeArguments() throws {
        let configuration = try WorkerFixtures.configuration(workDirectory: "/w").worker
        let options = JobOptions(
            extraVars: ["a": 1], tags: ["one", "two"], skipTags: ["three"], check: true, diff: true, verbosity: 3, forks: 7)
        let invocation = AnsibleInvocation(
            shard: shard(options), directory: directory, configuration: configuration, pluginDirectory: "/p", baseEnvironment: [:],
            secret: CredentialSecret(sshPrivateKey: "k", vaultPassword: "v", username: "deploy"), mitogenStrategies: nil)
        #expect(
            invocation.arguments == [
                "play/site.yml", "-i", "/w/runs/r/inventory/inventory.json", "-e", "@/w/runs/r/extra_vars.json", "--tags", "one,two", "--skip-tags",
                "three",
                "--check", "--diff", "-vvv", "--forks", "7", "--private-key", "/w/runs/r/private/ssh_key", "--user", "deploy",
                "--vault-password-file", "/w/runs/r/private/vault_password",
            ])
        #expect(invocation.environment["ANSIBLE_PRIVATE_KEY_FILE"] == "/w/runs/r/private/ssh_key")
    }

    @Test func minimalOptionsAddNothing() throws {
        let configuration = try WorkerFixtures.configuration(workDirectory: "/w").worker
        let invocation = AnsibleInvocation(
            shard: shard(JobOptions()), directory: directory, configuration: configuration, pluginDirectory: "/p", baseEnvironment: [:],
            secret: nil, mitogenStrategies: nil)
        #expect(invocation.arguments == ["play/site.yml", "-i", "/w/runs/r/inventory/inventory.json"])
        #expect(invocation.environment["ANSIBLE_STRATEGY"] == nil)
    }

    @Test func pipeliningIsOnUnlessTheJobOrTheWorkerSaysOtherwise() throws {
        let configuration = try WorkerFixtures.configuration(workDirectory: "/w").worker
        func pipelining(_ options: JobOptions, base: [String: String] = [:]) -> String? {
            AnsibleInvocation(
                shard: shard(options), directory: directory, configuration: configuration, pluginDirectory: "/p", baseEnvironment: base,
                secret: nil, mitogenStrategies: nil
            ).environment["ANSIBLE_PIPELINING"]
        }
        #expect(pipelining(JobOptions()) == "True")
        #expect(pipelining(JobOptions(pipelining: false)) == "False")
        #expect(pipelining(JobOptions(pipelining: true)) == "True")
        #expect(pipelining(JobOptions(), base: ["ANSIBLE_PIPELINING": "0"]) == "0")
        #expect(pipelining(JobOptions(pipelining: false), base: ["ANSIBLE_PIPELINING": "1"]) == "False")
    }

    @Test func environmentKeepsTheUsersCallbacksAndDropsPansibleSecrets() throws {
        let configuration = try WorkerFixtures.configuration(
            workDirectory: "/w", ["worker.environment.HTTP_PROXY": "http://proxy:3128", "worker.environment.ANSIBLE_FORKS": "9"]
        ).worker
        let base = [
            "ANSIBLE_CALLBACK_PLUGINS": "/mine", "ANSIBLE_CALLBACKS_ENABLED": "timer, profile_tasks", "PANSIBLE_SECRET_KEY": "s3cret",
            "PANSIBLE_AMQP_URL": "amqp://u:p@h/", "PATH": "/bin", "ANSIBLE_FORKS": "5",
        ]
        let invocation = AnsibleInvocation(
            shard: shard(JobOptions()), directory: directory, configuration: configuration, pluginDirectory: "/p", baseEnvironment: base,
            secret: nil, mitogenStrategies: "/m/strategy")
        let environment = invocation.environment
        #expect(environment["ANSIBLE_CALLBACK_PLUGINS"] == "/p:/mine")
        #expect(environment["ANSIBLE_CALLBACKS_ENABLED"] == "timer,profile_tasks,pansible")
        #expect(environment["PANSIBLE_SECRET_KEY"] == nil && environment["PANSIBLE_AMQP_URL"] == nil)
        #expect(environment["PANSIBLE_EVENTS_FILE"] == "/w/runs/r/events.jsonl")
        #expect(environment["PANSIBLE_RESULT_MAX_BYTES"] == "2000")
        #expect(environment["HTTP_PROXY"] == "http://proxy:3128" && environment["ANSIBLE_FORKS"] == "9" && environment["PATH"] == "/bin")
        #expect(environment["ANSIBLE_STRATEGY"] == "mitogen_linear" && environment["ANSIBLE_STRATEGY_PLUGINS"] == "/m/strategy")
    }

    @Test(arguments: [("site.yml", true), ("a/b.yml", true), ("/etc/passwd", false), ("../x.yml", false), ("a/../../x", false), ("", false)])
    func entriesStayInsideTheRepository(entry: String, safe: Bool) {
        #expect(AnsibleInvocation.isSafeEntry(entry) == safe)
    }

    @Test func pythonOfAnsibleVersionOutput() {
        let text = """
            ansible-playbook [core 2.19.14]
              config file = None
              python version = 3.11.7 (main, May  9 2026, 07:35:25) [GCC 12.2.0] (/root/.pyenv/versions/3.11.7/bin/python3.11)
              jinja version = 3.1.6
            """
        #expect(MitogenSupport.pythonPath(fromVersionOutput: text) == "/root/.pyenv/versions/3.11.7/bin/python3.11")
        #expect(MitogenSupport.pythonPath(fromVersionOutput: "nothing") == nil)
    }

    @Test func repositoryURLsAreRedacted() {
        #expect(URLRedaction.redact("https://user:token@git.example.com/x.git") == "https://user:***@git.example.com/x.git")
        #expect(URLRedaction.redact("git@github.com:o/r.git") == "git@github.com:o/r.git")
    }
}
