import Foundation

/// A sharded job's log as one `ansible-playbook` run over all its hosts would print it: each `PLAY [...]` and
/// `TASK [...]` header once, in playbook order, with the host lines of every shard beneath it (shard by shard),
/// and one `PLAY RECAP` listing every host, sorted as Ansible sorts them.
///
/// Every shard runs the same playbook, so the shards print the same headers; a header is matched across shards
/// by its play (the n-th play), its text, and how many times that text came before in the play (a task looped
/// over by `include_tasks` prints its header again). A header only some shards printed (a play or include no
/// host of the others reached) keeps its place after the headers that preceded it in those shards.
enum MergedLog {
    /// Events whose text opens a section (the header) rather than adding to the current one.
    static let headerTypes: Set<String> = [
        "playbook_on_play_start", "playbook_on_task_start", "playbook_on_handler_task_start", "playbook_on_cleanup_task_start",
    ]

    private struct Key: Hashable {
        var play: Int
        var header: String
        var occurrence: Int
    }

    private struct Section {
        var header: String
        var bodies: [String] = []
    }

    static func render(_ chunks: [LogChunk]) -> String {
        var order: [Key] = []
        var sections: [Key: Section] = [:]
        var preamble: [String] = []
        var recapHeader: String?
        var recapLines: [(host: String, line: String)] = []
        var trailing: [String] = []

        for shard in Dictionary(grouping: chunks, by: \.shard).sorted(by: { $0.key < $1.key }).map(\.value) {
            var play = 0
            var seen: [String: Int] = [:]
            var current: Key?
            var inRecap = false
            var cursor = 0
            for chunk in shard where !chunk.text.isEmpty {
                if chunk.type == "playbook_on_stats" {
                    inRecap = true
                    let (header, lines, rest) = recap(chunk.text)
                    recapHeader = recapHeader ?? header
                    recapLines += lines
                    if !rest.isEmpty { trailing.append(rest) }
                    continue
                }
                if inRecap {
                    if !chunk.text.allSatisfy(\.isWhitespace) { trailing.append(chunk.text) }
                    continue
                }
                if headerTypes.contains(chunk.type) {
                    if chunk.type == "playbook_on_play_start" {
                        play += 1
                        seen = [:]
                    }
                    let occurrence = seen[chunk.text, default: 0]
                    seen[chunk.text] = occurrence + 1
                    let key = Key(play: play, header: chunk.text, occurrence: occurrence)
                    if let index = order.firstIndex(of: key) {
                        cursor = index + 1
                    } else {
                        order.insert(key, at: cursor)
                        sections[key] = Section(header: chunk.text)
                        cursor += 1
                    }
                    current = key
                } else if let current {
                    sections[current]?.bodies.append(chunk.text)
                } else if !preamble.contains(chunk.text) {
                    preamble.append(chunk.text)
                }
            }
        }

        var text = preamble.joined()
        for key in order {
            guard let section = sections[key] else { continue }
            text += section.header
            text += section.bodies.joined()
        }
        if let recapHeader {
            text += recapHeader
            for entry in recapLines.sorted(by: { $0.host < $1.host }) { text += entry.line }
            text += "\n"
        }
        text += trailing.joined()
        return text
    }

    /// A shard's recap: its `PLAY RECAP` line (with the blank line before it), its host lines (`host : ok=…`),
    /// and whatever else the chunk holds after them.
    private static func recap(_ text: String) -> (header: String, lines: [(host: String, line: String)], rest: String) {
        var header = ""
        var lines: [(host: String, line: String)] = []
        var rest = ""
        var pastHeader = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast(text.hasSuffix("\n") ? 1 : 0) {
            let full = line + "\n"
            if !pastHeader {
                header += full
                if line.hasPrefix("PLAY RECAP") { pastHeader = true }
            } else if let separator = line.range(of: " : ok="), !line.isEmpty {
                lines.append((String(line[..<separator.lowerBound]).trimmingCharacters(in: .whitespaces), String(full)))
            } else if !line.allSatisfy(\.isWhitespace) {
                rest += full
            }
        }
        return (header, lines, rest)
    }
}
