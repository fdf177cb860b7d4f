import Foundation
import Metrics
import Prometheus
import Testing

@testable import Shared

/// The start-up every process shares: a bad configuration value becomes one line naming the key.
@Suite struct ProcessBootstrapTests {
    struct BadValue: Sendable, CustomTestStringConvertible {
        var file: String?
        var environment: [String: String]
        var key: String
        var variable: String
        var testDescription: String { "\(key) from \(file == nil ? "the environment" : "the file")" }
    }

    static let badValues = [
        BadValue(environment: ["PANSIBLE_LOG_LEVEL": "loud"], key: "log_level", variable: "PANSIBLE_LOG_LEVEL"),
        BadValue(environment: ["PANSIBLE_PORT": "port"], key: "port", variable: "PANSIBLE_PORT"),
        BadValue(file: "worker:\n  concurrency: many\n", environment: [:], key: "worker.concurrency", variable: "PANSIBLE_WORKER_CONCURRENCY"),
        BadValue(file: "amqp:\n  url: http://broker/\n", environment: [:], key: "amqp.url", variable: "PANSIBLE_AMQP_URL"),
    ]

    @Test(arguments: badValues)
    func aBadValueIsOneLineNamingTheKey(_ bad: BadValue) throws {
        var path = ProcessBootstrap.defaultConfigPath
        if let file = bad.file {
            path = FileManager.default.temporaryDirectory.appendingPathComponent("pansible-\(UUID()).yml").path
            try file.write(toFile: path, atomically: true, encoding: .utf8)
        }
        defer { if bad.file != nil { try? FileManager.default.removeItem(atPath: path) } }

        let error = try #require(throws: ConfigurationError.self) {
            try ProcessBootstrap(process: "pansible-worker", configPath: path, environment: bad.environment)
        }
        #expect(error.key == bad.key)
        let line = ProcessBootstrap.errorLine(process: "pansible-worker", error: error)
        #expect(line.hasPrefix("pansible-worker: configuration error: \(bad.key) (env \(bad.variable)): "))
        #expect(!line.contains("\n"))
    }

    @Test func aGoodConfigurationGivesTheLoggerItsLevel() throws {
        let bootstrap = try ProcessBootstrap(
            process: "pansible-collector", configPath: ProcessBootstrap.defaultConfigPath, environment: ["PANSIBLE_LOG_LEVEL": "warning"])
        #expect(bootstrap.logger.label == "pansible.collector")
        #expect(bootstrap.logger.logLevel == .warning)
    }

    @Test func metricsMadeWithARegistrysFactoryAreServedFromIt() {
        let registry = PrometheusCollectorRegistry()
        Counter(label: "pansible_test_things_total", dimensions: [("kind", "a")], factory: registry.metricsFactory).increment(by: 3)
        Meter(label: "pansible_test_level", factory: registry.metricsFactory).increment()
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        let text = String(decoding: buffer, as: UTF8.self)
        #expect(text.contains(#"pansible_test_things_total{kind="a"} 3"#))
        #expect(text.contains("pansible_test_level 1"))
    }
}
