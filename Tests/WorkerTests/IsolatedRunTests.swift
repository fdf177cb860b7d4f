import Foundation
import Shared
import TestSupport
import Testing

@testable import Worker

/// Runs under `isolation: container` for real, with a template whose "runtime" is a shell script that starts the
/// command directly (there is no podman or docker here), and the worker's refusal of a bubblewrap it cannot use.
@Suite(.serialized) struct IsolatedRunTests {
    static let playbook = """
        - hosts: all
          gather_facts: false
          tasks:
            - name: print the environment's PANSIBLE_ variables
              ansible.builtin.shell: "env | grep ^PANSIBLE_ || true"
        """

    /// Plays a container runtime: `runtime ENV_FILE PROJECT ARGV...` exports the environment file's variables
    /// and runs ARGV in PROJECT.
    static let runtime = """
        #!/bin/sh
        env_file=$1; project=$2; shift 2
        while IFS= read -r line; do export "$line"; done < "$env_file"
        cd "$project" || exit 125
        echo "container runtime: running $1"
        exec "$@"
        """

    @Test func containerRunGoesThroughTheTemplate() async throws {
        let repository = try await GitRepositoryFixture.create(files: ["site.yml": Self.playbook])
        defer { repository.remove() }
        let work = try WorkerFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: work) }
        let script = work + "/runtime.sh"
        try Self.runtime.write(toFile: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script)
        let configuration = try WorkerFixtures.configuration(
            workDirectory: work + "/worker",
            [
                "worker.isolation": "container", "worker.container_image": "pansible-ee:test",
                "worker.container_command": "\(script) {env_file} {project} {argv}",
            ])
        let publisher = RecordingPublisher()
        var environment = ProcessInfo.processInfo.environment
        environment["PANSIBLE_SECRET_KEY"] = "fake-secret-\(UUID().uuidString)"
        let runner = try WorkerFixtures.runner(configuration: configuration, publisher: publisher, environment: environment)
        let shard = WorkerFixtures.shard(repository: repository, inventory: WorkerFixtures.localInventory(hosts: ["a"]), hosts: ["a"])

        let outcome = await runner.run(shard, attempt: 1)

        let events = try await publisher.events()
        #expect(outcome.finalEvent == PipelineEventType.shardFinished, "\(events.compactMap(\.stdout).joined())")
        #expect(events.compactMap(\.stdout).joined().contains("container runtime: running ansible-playbook"))
        let printed = try #require(events.first { $0.type == "runner_on_ok" }?.result?["stdout"]?.stringValue)
        let names = Set(printed.split(separator: "\n").compactMap { $0.split(separator: "=").first.map(String.init) })
        let expected: Set = ["PANSIBLE_EVENTS_FILE", "PANSIBLE_RESULT_MAX_BYTES", "PANSIBLE_RUN_LOCK", "PANSIBLE_SECRETS_DIR"]
        #expect(names.filter { $0.hasPrefix("PANSIBLE_") } == expected)
        #expect(!printed.contains(environment["PANSIBLE_SECRET_KEY"]!))
        // Mitogen's path on the worker means nothing in an image: the image's own configuration decides.
        #expect(events.last?.data?["mitogen"] == false)
    }

    @Test func unusableBubblewrapIsRefusedInOneLine() async throws {
        let work = try WorkerFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: work) }
        let failing = work + "/bwrap"
        try "#!/bin/sh\necho 'bwrap: No permissions to create new namespace' >&2\nexit 1\n".write(toFile: failing, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: failing)

        for (bubblewrap, said) in [("/nonexistent/bwrap", "No such file or directory"), (failing, "No permissions to create new namespace")] {
            let configuration = try WorkerFixtures.configuration(workDirectory: work, ["worker.bubblewrap": bubblewrap]).worker
            let error = await #expect(throws: ConfigurationError.self) { try await RunIsolation.verify(configuration: configuration) }
            #expect(error?.key == "worker.isolation")
            #expect(error?.description.contains(said) == true && error?.description.contains("\n") == false, "\(String(describing: error))")
        }
        // The bwrap that make deps installs passes.
        try await RunIsolation.verify(configuration: try WorkerFixtures.configuration(workDirectory: work).worker)
        try await RunIsolation.verify(configuration: try WorkerFixtures.configuration(workDirectory: work, ["worker.isolation": "none"]).worker)
    }

    @Test func workerWithAnUnusableBubblewrapExitsAtStart() async throws {
        let work = try WorkerFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: work) }
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PANSIBLE_") }
        environment["PANSIBLE_WORKER_BUBBLEWRAP"] = "/nonexistent/bwrap"
        environment["PANSIBLE_WORKER_WORK_DIR"] = work + "/worker"
        // Nothing listens there: the worker must stop before it reaches for a broker.
        environment["PANSIBLE_AMQP_URL"] = "amqp://guest:guest@127.0.0.1:1/"
        let output = try await CommandRunner.run(
            ServiceProcess.binaryDirectory.appendingPathComponent("pansible-worker").path, [], environment: environment, directory: work,
            timeout: .seconds(120), separateErrors: true)
        #expect(output.status == .exited(ProcessBootstrap.configurationExitCode), "\(output.text)\(output.errors ?? "")")
        let lines = (output.errors ?? "").split(separator: "\n")
        #expect(lines.count == 1, "\(lines)")
        #expect(
            lines.first?.hasPrefix(
                "pansible-worker: configuration error: worker.isolation (env PANSIBLE_WORKER_ISOLATION): bubblewrap cannot run a sandbox") == true)
    }
}
