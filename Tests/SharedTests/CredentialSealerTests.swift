import Foundation
import Testing

@testable import Shared

@Suite struct CredentialSealerTests {
    static let keyA = Data(repeating: 7, count: 32).base64EncodedString()
    static let keyB = Data(repeating: 9, count: 32).base64EncodedString()

    @Test func sealThenOpenRoundTrips() throws {
        let sealer = try CredentialSealer(base64Key: Self.keyA)
        let secret = CredentialSecret(sshPrivateKey: "-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n", vaultPassword: "v", username: "deploy")
        let box = try sealer.seal(secret)
        #expect(!String(decoding: box, as: UTF8.self).contains("OPENSSH"))
        #expect(try sealer.open(box) == secret)
    }

    @Test func anotherKeyCannotOpen() throws {
        let box = try CredentialSealer(base64Key: Self.keyA).seal(CredentialSecret(vaultPassword: "v"))
        #expect(throws: CredentialSealerError.self) { try CredentialSealer(base64Key: Self.keyB).open(box) }
    }

    @Test func shortKeyIsAConfigurationError() {
        #expect(throws: ConfigurationError.self) { try CredentialSealer(base64Key: Data(count: 16).base64EncodedString()) }
    }
}
