import Foundation
import Shared
import Testing

@testable import Worker

/// The command lines a run is started with (pure): the bubblewrap sandbox, the container template, and the
/// environment each gets.
@Suite struct RunIsolationCommandTests {
    let directory = RunDirectory(path: "/srv/w/runs/r")

    func invocation(environment: [String: String] = ["PATH": "/bin", "HOME": "/home/p"]) throws -> AnsibleInvocation {
        let configuration = try WorkerFixtures.configuration(workDirectory: "/srv/w").worker
        let shard = ShardMessage(
            jobUUID: UUID(), jobID: 1, index: 0, count: 1, pool: "default",
            playbook: PlaybookSpec(id: 1, name: "p", gitRepo: "/r", entry: "site.yml", commit: "abc1234"), inventory: [:], hosts: [],
            options: JobOptions(), credential: nil)
        return AnsibleInvocation(
            shard: shard, directory: directory, configuration: configuration, pluginDirectory: "/opt/p/callback_plugins",
            baseEnvironment: environment, secret: CredentialSecret(sshPrivateKey: "k", vaultPassword: "v"), mitogenStrategies: nil)
    }

    @Test func bubblewrapArguments() {
        let sandbox = BubblewrapSandbox(
            bubblewrap: "/usr/bin/bwrap", hidden: [.directory("/srv/w"), .file("/etc/pansible.yml"), .directory("/tmp/state")], home: "/home/p")
        let arguments = sandbox.arguments(
            runDirectory: "/srv/w/runs/r", runLock: "/srv/w/runs/r.lock", readOnly: ["/opt/p/callback_plugins"],
            workingDirectory: "/srv/w/runs/r/project", command: ["ansible-playbook", "site.yml"])
        #expect(
            arguments == [
                "--ignore-signal=INT", "--ignore-signal=TERM", "/usr/bin/bwrap",
                "--unshare-pid", "--unshare-ipc", "--cap-drop", "ALL", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc",
                "--tmpfs", "/tmp",
                // Below /tmp is hidden already.
                "--tmpfs", "/srv/w", "--ro-bind", "/dev/null", "/etc/pansible.yml",
                "--tmpfs", "/home/p/.ansible",
                "--ro-bind-try", "/home/p/.ansible/collections", "/home/p/.ansible/collections",
                "--ro-bind-try", "/home/p/.ansible/roles", "/home/p/.ansible/roles",
                "--ro-bind-try", "/home/p/.ansible/plugins", "/home/p/.ansible/plugins",
                "--tmpfs", "/home/p/.ansible_async",
                "--ro-bind", "/opt/p/callback_plugins", "/opt/p/callback_plugins",
                "--bind", "/srv/w/runs/r", "/srv/w/runs/r", "--ro-bind", "/srv/w/runs/r.lock", "/srv/w/runs/r.lock",
                "--chdir", "/srv/w/runs/r/project",
                "--", "env", "--default-signal=INT,TERM", "ansible-playbook", "site.yml",
            ])
        #expect(
            !BubblewrapSandbox(bubblewrap: "bwrap", hidden: [], home: nil).arguments(
                runDirectory: "/r", runLock: "/r.lock", readOnly: [], workingDirectory: "/r/project", command: ["a"]
            ).contains { $0.contains(".ansible") })
    }

    @Test func bubblewrapRunsAnsibleThroughEnvWithTheRunsEnvironment() throws {
        let invocation = try invocation()
        let isolation = RunIsolation(mode: .bubblewrap(BubblewrapSandbox(bubblewrap: "bwrap", hidden: [.directory("/srv/w")], home: nil)))
        let command = isolation.command(
            ansiblePlaybook: "ansible-playbook", invocation: invocation, directory: directory, pluginDirectory: "/opt/p/callback_plugins",
            readOnly: [], workerEnvironment: ["PATH": "/bin"])
        #expect(command.executable == "env" && command.environmentFile == nil)
        #expect(Array(command.arguments.suffix(invocation.arguments.count + 1)) == ["ansible-playbook"] + invocation.arguments)
        #expect(command.environment == invocation.environment)
        let environment = command.environment
        #expect(environment["PANSIBLE_WORKER_PID"] == nil)
        #expect(environment["PANSIBLE_RUN_LOCK"] == "/srv/w/runs/r.lock" && environment["PANSIBLE_SECRETS_DIR"] == "/srv/w/runs/r/private")
        #expect(
            Set(environment.keys.filter { $0.hasPrefix("PANSIBLE_") }) == [
                "PANSIBLE_EVENTS_FILE", "PANSIBLE_RESULT_MAX_BYTES", "PANSIBLE_RUN_LOCK", "PANSIBLE_SECRETS_DIR",
            ])
        #expect(isolation.passesWorkerEnvironment && isolation.appliesMitogen)
    }

    @Test func containerTemplateIsFilledIn() throws {
        let template = ContainerTemplate(words: WorkerConfiguration.defaultContainerCommand, image: "registry.example/ee:1")
        let isolation = RunIsolation(mode: .container(template))
        #expect(!isolation.passesWorkerEnvironment && !isolation.appliesMitogen)
        let invocation = try invocation(environment: [:])
        let command = isolation.command(
            ansiblePlaybook: "ansible-playbook", invocation: invocation, directory: directory, pluginDirectory: "/opt/p/callback_plugins",
            readOnly: [], workerEnvironment: ["PATH": "/bin", "XDG_RUNTIME_DIR": "/run/user/1000"])
        #expect(command.executable == "podman")
        #expect(
            command.arguments == [
                "run", "--rm", "--network", "host", "--workdir", "/srv/w/runs/r/project", "--volume", "/srv/w/runs/r:/srv/w/runs/r",
                "--volume", "/srv/w/runs/r.lock:/srv/w/runs/r.lock:ro", "--volume", "/opt/p/callback_plugins:/opt/p/callback_plugins:ro",
                "--env-file", "/srv/w/runs/r/container.env", "registry.example/ee:1", "ansible-playbook",
            ] + invocation.arguments)
        // The runtime runs with the worker's environment; the container gets the run's variables only.
        #expect(command.environment == ["PATH": "/bin", "XDG_RUNTIME_DIR": "/run/user/1000"])
        let lines = try #require(command.environmentFile).split(separator: "\n").map(String.init)
        #expect(lines == lines.sorted() && lines.contains("PANSIBLE_EVENTS_FILE=/srv/w/runs/r/events.jsonl"))
        #expect(lines.contains("ANSIBLE_PRIVATE_KEY_FILE=/srv/w/runs/r/private/ssh_key"))
        #expect(!lines.contains { $0.hasPrefix("PATH=") || $0.hasPrefix("HOME=") })
    }

    @Test func containerEnvironmentFileLeavesOutMultilineValues() {
        #expect(ContainerTemplate.environmentFile(["B": "2", "A": "1 and more", "C": "x\ny"]) == "A=1 and more\nB=2\n")
    }

    @Test func customTemplateKeepsPlaceholdersInsideWords() {
        let template = ContainerTemplate(
            words: ["/usr/local/bin/runtime", "--mount=type=bind,src={run_dir},dst={run_dir}", "{image}", "{argv}"], image: "ee")
        let arguments = template.arguments(
            runDirectory: "/r", project: "/r/project", runLock: "/r.lock", callbackPlugins: "/p", environmentFile: "/r/container.env",
            argv: ["ansible-playbook", "-i", "x"])
        #expect(arguments == ["/usr/local/bin/runtime", "--mount=type=bind,src=/r,dst=/r", "ee", "ansible-playbook", "-i", "x"])
    }

    @Test func isolationIsConfigured() throws {
        let defaults = try WorkerConfiguration(source: ConfigurationSource(values: [:]))
        #expect(defaults.isolation == .bubblewrap && defaults.bubblewrap == "bwrap" && defaults.sandboxHide == [".pansible"])
        #expect(defaults.containerCommand == WorkerConfiguration.defaultContainerCommand && defaults.containerImage == nil)
        let container = try WorkerConfiguration(
            source: ConfigurationSource(values: [
                "worker.isolation": "container", "worker.container_image": "ee:1", "worker.container_command": "docker run  --rm {image} {argv}",
                "worker.sandbox_hide": "/etc/pansible, /srv/secrets",
            ]))
        #expect(container.isolation == .container && container.containerCommand == ["docker", "run", "--rm", "{image}", "{argv}"])
        #expect(container.sandboxHide == ["/etc/pansible", "/srv/secrets"])
        for (values, key) in [
            (["worker.isolation": "jail"], "worker.isolation"),
            (["worker.isolation": "container"], "worker.container_image"),
            (
                ["worker.isolation": "container", "worker.container_image": "ee", "worker.container_command": "podman run {image}"],
                "worker.container_command"
            ),
        ] {
            let error = #expect(throws: ConfigurationError.self) { try WorkerConfiguration(source: ConfigurationSource(values: values)) }
            #expect(error?.key == key)
        }
    }

    @Test func secretsAreMaskedWholeAndLineByLine() {
        let key = "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAAline1secret\nBBBBline2secret\n-----END OPENSSH PRIVATE KEY-----\n"
        let mask = SecretMask(CredentialSecret(sshPrivateKey: key, vaultPassword: "hunter22\n"))
        #expect(mask.masking("key: \(key)") == "key: ********\n")
        #expect(mask.masking(#"{"msg": "AAAAline1secret\nBBBBline2secret"}"#) == #"{"msg": "********\n********"}"#)
        #expect(mask.masking("password hunter22, and hunter2") == "password ********, and hunter2")
        let value: JSONValue = ["stdout_lines": ["AAAAline1secret", "ok"], "hunter22": 1]
        #expect(mask.masking(value) == ["stdout_lines": ["********", "ok"], "********": 1])
        // Too short to mask without hiding ordinary words.
        #expect(SecretMask(CredentialSecret(vaultPassword: "abc")).isEmpty)
        #expect(SecretMask(nil).masking("anything") == "anything")
    }
}
