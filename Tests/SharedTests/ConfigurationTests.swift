import Foundation
import Testing

@testable import Shared

@Suite struct ConfigurationTests {
    @Test func defaultsServeALocalRun() throws {
        let configuration = try PansibleConfiguration(source: ConfigurationSource(values: [:]))
        #expect(configuration.gateway.address == ListenAddress(host: "127.0.0.1", port: 5757))
        #expect(configuration.collector.address == ListenAddress(host: "127.0.0.1", port: 5858))
        #expect(configuration.amqp.url.absoluteString == "amqp://guest:guest@127.0.0.1:5672/")
        #expect(configuration.database.url.absoluteString == "postgres://postgres@127.0.0.1:5432/pansible")
    }

    @Test func fileValueAndEnvironmentOverride() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pansible-\(UUID()).yml").path
        try "port: \"127.0.0.1:6000\"\ncollector:\n  batch_size: 77\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }

        let fromFile = try PansibleConfiguration.load(path: path, isDefaultPath: false, environment: [:])
        #expect(fromFile.gateway.address.port == 6000)
        #expect(fromFile.collector.batchSize == 77)

        let overridden = try PansibleConfiguration.load(
            path: path, isDefaultPath: false, environment: ["PANSIBLE_PORT": ":5757", "PANSIBLE_COLLECTOR_BATCH_SIZE": "5"])
        #expect(overridden.gateway.address == ListenAddress(host: "0.0.0.0", port: 5757))
        #expect(overridden.collector.batchSize == 5)
    }

    @Test func badValueNamesTheKey() throws {
        let error = #expect(throws: ConfigurationError.self) {
            try PansibleConfiguration(source: ConfigurationSource(values: ["collector.batch_size": "many"]))
        }
        #expect(
            error?.description == "configuration error: collector.batch_size (env PANSIBLE_COLLECTOR_BATCH_SIZE): expected an integer, got 'many'")
    }

    @Test func workerSpeedDefaults() throws {
        let defaults = try PansibleConfiguration(source: ConfigurationSource(values: [:])).worker
        #expect(defaults.mitogen == .auto)
        #expect(defaults.concurrency == CPUCapacity.current().slots)
        let set = try PansibleConfiguration(
            source: ConfigurationSource(values: ["worker.mitogen": "false", "worker.concurrency": "3", "worker.heartbeat_interval": "0.5"])
        ).worker
        #expect(set.mitogen == .off && set.concurrency == 3 && set.heartbeatInterval == 0.5)
        #expect(try PansibleConfiguration(source: ConfigurationSource(values: ["worker.mitogen": "yes"])).worker.mitogen == .on)
        let error = #expect(throws: ConfigurationError.self) {
            try PansibleConfiguration(source: ConfigurationSource(values: ["worker.mitogen": "sometimes"]))
        }
        #expect(error?.key == "worker.mitogen")
    }

    @Test func missingExplicitFileIsAnError() {
        #expect(throws: ConfigurationError.self) {
            try PansibleConfiguration.load(path: "/nonexistent/pansible.yml", isDefaultPath: false, environment: [:])
        }
    }

    @Test func passwordsAreRedacted() {
        #expect(URLRedaction.redact("amqp://user:secret@host/") == "amqp://user:***@host/")
    }
}
