import Foundation
import Shared
import Testing

@testable import Worker

@Suite struct EventTailTests {
    @Test func outputIsAttachedByOffsetAndPartialLinesWait() throws {
        let work = try WorkerFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: work) }
        let events = work + "/events.jsonl"
        let output = work + "/output.log"
        _ = FileManager.default.createFile(atPath: events, contents: nil)
        _ = FileManager.default.createFile(atPath: output, contents: nil)
        let tail = try EventTail(eventsPath: events, outputPath: output)
        let eventsHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: events))
        let outputHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: output))

        try outputHandle.write(contentsOf: Data("PLAY [x] ***\n".utf8))
        try eventsHandle.write(
            contentsOf: Data(#"{"id":"a","type":"playbook_on_play_start","timestamp":"2026-01-02T03:04:05.678Z","stdout_offset":13}"#.utf8))
        #expect(try tail.poll().isEmpty)  // no newline yet
        try eventsHandle.write(contentsOf: Data("\n".utf8))
        try outputHandle.write(contentsOf: Data("ok: [h]\nwarning\n".utf8))
        try eventsHandle.write(
            contentsOf: Data(
                (#"{"id":"b","type":"runner_on_ok","host":"h","timestamp":"2026-01-02T03:04:06Z","stdout_offset":21,"result":{"changed":false}}"#
                    + "\nnot json\n").utf8))

        let first = try tail.poll()
        #expect(first.map(\.id).prefix(2) == ["a", "b"])
        #expect(first[0].stdout == "PLAY [x] ***\n")
        #expect(first[0].timestamp == Timestamp.parse("2026-01-02T03:04:05.678Z"))
        #expect(first[1].stdout == "ok: [h]\n")
        #expect(first[1].result == ["changed": false])
        #expect(first[2].type == "stdout" && first[2].stdout == "unreadable callback line: not json\n")
        #expect(try tail.remainingOutput() == "warning\n")
        #expect(try tail.remainingOutput() == nil)
    }
}
