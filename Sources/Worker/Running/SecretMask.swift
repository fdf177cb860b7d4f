import Foundation
import Shared

/// Replaces a credential's secrets with `********` in what a run reports: the vault password, the SSH private key
/// and each line of the key (a task may print it line by line, and Ansible's JSON output escapes its line breaks).
///
/// The callback plugin masks its events the same way; the worker masks Ansible's own output, which it reads
/// directly, and the events again, whatever wrote them. Secrets shorter than `minimumLength` are left alone:
/// they would hide ordinary words.
struct SecretMask: Sendable {
    static let mask = "********"
    static let minimumLength = 4

    /// Longest first, so that masking a line never leaves part of the whole key behind.
    let secrets: [String]

    init(_ secret: CredentialSecret?) {
        var found = Set<String>()
        for text in [secret?.sshPrivateKey, secret?.vaultPassword].compactMap({ $0 }) {
            let candidates = [text] + text.split(whereSeparator: \.isNewline).map(String.init)
            for candidate in candidates {
                let trimmed = candidate.trimmingCharacters(in: .whitespacesAndNewlines)
                if trimmed.count >= Self.minimumLength { found.insert(trimmed) }
            }
        }
        secrets = found.sorted { ($0.count, $0) > ($1.count, $1) }
    }

    var isEmpty: Bool { secrets.isEmpty }

    func masking(_ text: String) -> String {
        var text = text
        for secret in secrets where text.contains(secret) {
            text = text.replacingOccurrences(of: secret, with: Self.mask)
        }
        return text
    }

    func masking(_ value: JSONValue) -> JSONValue {
        guard !isEmpty else { return value }
        switch value {
        case .string(let text): return .string(masking(text))
        case .array(let items): return .array(items.map(masking))
        case .object(let object):
            return .object(Dictionary(object.map { (masking($0.key), masking($0.value)) }) { first, _ in first })
        case .null, .bool, .int, .double: return value
        }
    }

    /// The event with its output, result, data and names masked.
    func masking(_ event: PansibleEvent) -> PansibleEvent {
        guard !isEmpty else { return event }
        var event = event
        event.stdout = event.stdout.map(masking)
        event.result = event.result.map(masking)
        event.data = event.data.map(masking)
        event.task = event.task.map(masking)
        event.play = event.play.map(masking)
        return event
    }
}
