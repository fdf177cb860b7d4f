import Foundation
import Testing

@testable import Shared

@Suite struct CredentialSealerTests {
    let key = Data((0..<32).map { UInt8($0 * 3 % 256) }).base64EncodedString()

    @Test func sealedCredentialsOpenWithTheSameKeyOnly() throws {
        let sealer = try CredentialSealer(secretKey: key)
        let secret = CredentialSecret(sshPrivateKey: "-----BEGIN KEY-----\nabc\n", vaultPassword: "v", username: "deploy")
        let sealed = try sealer.seal(secret)
        #expect(!sealed.contains("abc"))
        #expect(try sealer.open(sealed) == secret)
        #expect(try sealer.seal(secret) != sealed)  // fresh nonce each time

        let other = try CredentialSealer(secretKey: Data(repeating: 1, count: 32).base64EncodedString())
        #expect(throws: CredentialSealerError.cannotOpen) { try other.open(sealed) }
        #expect(throws: CredentialSealerError.notBase64) { try sealer.open("%%%") }
    }

    @Test(arguments: ["", "c2hvcnQ=", "not base64 at all"])
    func keysMustBe32Bytes(key: String) {
        #expect(throws: CredentialSealerError.invalidKey) { try CredentialSealer(secretKey: key) }
    }

    @Test func mappingReadsFileAndEnvironment() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pansible-\(UUID()).yml").path
        try "worker:\n  environment:\n    HTTP_PROXY: http://p:1\n    FOO: bar\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let source = try ConfigurationSource(path: path, environment: ["PANSIBLE_WORKER_ENVIRONMENT_FOO": "env", "PANSIBLE_WORKER_ENVIRONMENT_Mixed_Case": "x"])
        #expect(source.mapping("worker.environment") == ["HTTP_PROXY": "http://p:1", "FOO": "env", "Mixed_Case": "x"])
    }
}
