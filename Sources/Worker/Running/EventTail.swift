import Foundation
import Shared

/// Follows a run's `events.jsonl` (written by the callback plugin) and `output.log` (Ansible's stdout and
/// stderr), turning complete lines into events with the output that belongs to each attached.
///
/// Each plugin line carries `stdout_offset`, the output file's size right after Ansible printed that
/// event; the output between the previous offset and this one is the event's own output. Output left
/// after the last event (a crash, a syntax error, the final lines) becomes `stdout` events through
/// `remainingOutput()`. The credential's secrets are masked in both (`SecretMask`). Not thread-safe: one run's
/// reader owns it.
final class EventTail {
    private let events: FileHandle
    private let output: FileHandle
    private var pending = Data()
    private var outputAttached: UInt64 = 0
    /// Largest read of the events file at once, which bounds what one poll holds in memory.
    private let chunkSize: Int
    private let mask: SecretMask

    init(eventsPath: String, outputPath: String, chunkSize: Int = 1 << 20, mask: SecretMask = SecretMask(nil)) throws {
        self.events = try FileHandle(forReadingFrom: URL(fileURLWithPath: eventsPath))
        self.output = try FileHandle(forReadingFrom: URL(fileURLWithPath: outputPath))
        self.chunkSize = chunkSize
        self.mask = mask
    }

    deinit {
        try? events.close()
        try? output.close()
    }

    /// The plugin's per-line extra: where the output stood when the event was written.
    private struct LineExtras: Decodable {
        var stdoutOffset: UInt64?

        enum CodingKeys: String, CodingKey {
            case stdoutOffset = "stdout_offset"
        }
    }

    /// Reads what the plugin appended since the last call (complete lines only) and decodes it. Lines
    /// that are not events (never expected) come back as `stdout` events holding the raw line, so nothing
    /// is silently dropped. Ids are kept; counters are set by the caller.
    func poll() throws -> [PansibleEvent] {
        guard let data = try events.read(upToCount: chunkSize), !data.isEmpty else { return [] }
        pending.append(data)
        guard let lastNewline = pending.lastIndex(of: UInt8(ascii: "\n")) else { return [] }
        let complete = pending[pending.startIndex..<lastNewline]
        pending = Data(pending[(lastNewline + 1)...])
        let decoder = MessageCoding.decoder()
        var result: [PansibleEvent] = []
        for line in complete.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true) {
            let lineData = Data(line)
            if var event = try? decoder.decode(PansibleEvent.self, from: lineData) {
                if let offset = (try? decoder.decode(LineExtras.self, from: lineData))?.stdoutOffset {
                    event.stdout = try outputText(upTo: offset)
                }
                result.append(mask.masking(event))
            } else {
                let text = mask.masking(String(decoding: lineData, as: UTF8.self))
                result.append(PansibleEvent(id: UUID().uuidString.lowercased(), type: "stdout", stdout: "unreadable callback line: \(text)\n"))
            }
        }
        return result
    }

    /// Output written after the last attached event (nil when there is none).
    func remainingOutput() throws -> String? {
        let end = try output.seekToEnd()
        return try outputText(upTo: end)
    }

    private func outputText(upTo offset: UInt64) throws -> String? {
        guard offset > outputAttached else { return nil }
        try output.seek(toOffset: outputAttached)
        let data = try output.read(upToCount: Int(offset - outputAttached)) ?? Data()
        outputAttached += UInt64(data.count)
        return data.isEmpty ? nil : mask.masking(String(decoding: data, as: UTF8.self))
    }
}
