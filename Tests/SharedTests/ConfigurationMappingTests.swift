import Foundation
import Testing

@testable import Shared

@Suite struct ConfigurationMappingTests {
    @Test func mappingReadsFileAndEnvironment() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pansible-\(UUID()).yml").path
        try "worker:\n  environment:\n    HTTP_PROXY: http://p:1\n    FOO: bar\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let source = try ConfigurationSource(
            path: path, environment: ["PANSIBLE_WORKER_ENVIRONMENT_FOO": "env", "PANSIBLE_WORKER_ENVIRONMENT_Mixed_Case": "x"])
        #expect(source.mapping("worker.environment") == ["HTTP_PROXY": "http://p:1", "FOO": "env", "Mixed_Case": "x"])
        #expect(source.mapping("worker.nothing") == [:])
    }
}
