import Foundation
import Shared
import Testing

@testable import Collector
@testable import CollectorBench

/// `IncomingBatch.decode` reads messages without Codable; these tests hold it to what Codable reads from the
/// same bytes (the columns and the stored payload), and to refusing what Codable refuses.
@Suite struct IncomingBatchTests {
    /// The rows of `copyRows`, each field unescaped (nil for `\N`).
    static func rows(_ batch: IncomingBatch) -> [[String?]] {
        let text = String(decoding: batch.copyRows, as: UTF8.self)
        return text.split(separator: "\n", omittingEmptySubsequences: true).map { line in
            line.split(separator: "\t", omittingEmptySubsequences: false).map { field in
                if field == "\\N" { return nil }
                var value = ""
                var escaped = false
                for character in field {
                    if escaped {
                        switch character {
                        case "t": value.append("\t")
                        case "n": value.append("\n")
                        case "r": value.append("\r")
                        default: value.append(character)
                        }
                        escaped = false
                    } else if character == "\\" {
                        escaped = true
                    } else {
                        value.append(character)
                    }
                }
                return value
            }
        }
    }

    static let runID = UUID()

    static func batch(_ events: [PansibleEvent]) -> EventBatch {
        EventBatch(jobUUID: UUID(), source: "worker", shardIndex: 3, runID: runID, attempt: 2, workerID: "w-1", events: events)
    }

    static let awkward: [PansibleEvent] = [
        PansibleEvent(
            id: "e1", type: "runner_on_ok", counter: 1, parentUUID: "p\t1", host: "web\\01", play: "play \"one\"", task: "line\nbreak\r",
            taskAction: "ansible.builtin.shell", role: "röle ✓ 𝄞", timestamp: Date(timeIntervalSince1970: 1_800_000_000.125), duration: 0.25,
            ignoreErrors: false,
            result: .object([
                "stdout": .string("tab\tnew\nline \\ back \"quote\" </script> \u{1F600}"), "rc": .int(0), "ratio": .double(-1.5e-7),
                "nested": .array([.null, .bool(true), .object(["k": .array([])])]),
            ]), stdout: "ok: [web]"),
        PansibleEvent(id: "e2", type: "runner_on_failed", counter: 2, host: "db", timestamp: Date(timeIntervalSince1970: 0), ignoreErrors: true),
        PansibleEvent(id: "e3", type: "runner_on_failed", counter: 2_147_483_647, host: "db", timestamp: Date(timeIntervalSince1970: 1)),
        PansibleEvent(id: "split", type: "job_split", timestamp: Date(), data: .object(["shards": .object(["0": .array([.string("a")])])])),
    ]

    @Test func columnsAndPayloadsMatchWhatCodableReads() throws {
        let message = Self.batch(Self.awkward)
        let body = try MessageCoding.encode(message)
        let incoming = try IncomingBatch.decode(body)
        let reference = try MessageCoding.decode(EventBatch.self, from: body)
        #expect(incoming.jobUUID == reference.jobUUID)
        #expect(incoming.source == "worker")
        #expect(incoming.shardIndex == 3)
        #expect(incoming.runID == Self.runID)
        #expect(incoming.attempt == 2)
        #expect(incoming.workerID == "w-1")
        #expect(incoming.eventCount == 4)
        #expect(incoming.hasStateEvent)
        let rows = Self.rows(incoming)
        #expect(rows.count == reference.events.count)
        for (row, event) in zip(rows, reference.events) {
            #expect(row.count == IncomingBatch.columns.count)
            #expect(row[0] == reference.jobUUID.uuidString.lowercased())
            #expect(row[1] == event.id)
            #expect(row[2] == event.type)
            #expect(row[3] == "3")
            #expect(row[4] == Self.runID.uuidString.lowercased())
            #expect(row[5] == "2")
            #expect(row[6] == event.counter.map(String.init))
            #expect(row[7] == event.parentUUID)
            #expect(row[8] == event.host)
            #expect(row[9] == event.play)
            #expect(row[10] == event.task)
            #expect(row[11] == event.taskAction)
            #expect(row[12] == event.role)
            #expect(row[13] == (event.type == "runner_on_failed" && event.ignoreErrors != true ? "t" : "f"))
            #expect(row[14] == event.ignoreErrors.map { $0 ? "t" : "f" })
            #expect(row[15].flatMap(Timestamp.parse) == event.timestamp)
            #expect(row[16].flatMap(Double.init) == event.duration)
            let payload = try MessageCoding.decode(PansibleEvent.self, from: Array((row[17] ?? "").utf8))
            #expect(payload == event)
        }
    }

    @Test func aBatchMadeHereReadsLikeTheSameMessageFromTheBroker() throws {
        let message = Self.batch(Self.awkward)
        let made = try IncomingBatch(batch: message)
        let received = try IncomingBatch.decode(try MessageCoding.encode(message))
        #expect(made.copyRows == received.copyRows)
    }

    @Test func escapesAndWhitespaceOfOtherProducersAreRead() throws {
        let job = UUID().uuidString
        let body = """
             { "schema" : 1 , "job_uuid" : "\(job)", "source":"worker", "shard_index":null, "run_id":null, "extra": {"x":[1,2.5e3,-0]},
              "events" : [ {"id":"a\\u00e9\\ud834\\udd1e\\/","type":"stdout","timestamp":"2027-01-15T08:00:00+01:00",
                            "host":"h\\u0041","counter":null,"unknown":{"deep":[[[]]]}} ] }
            """
        let incoming = try IncomingBatch.decode(Array(body.utf8))
        let row = try #require(Self.rows(incoming).first)
        #expect(row[1] == "aé𝄞/")
        #expect(row[8] == "hA")
        #expect(row[3] == nil)
        #expect(row[15] == "2027-01-15T08:00:00+01:00")
        #expect(incoming.shardIndex == nil && incoming.runID == nil && !incoming.hasStateEvent)
        // The payload is the event's own text, unknown keys included.
        let payload = try #require(row[17])
        #expect(payload.contains(#""unknown":{"deep":[[[]]]}"#))
    }

    @Test(arguments: [
        (#"{"s":"x\u0000y"}"#, #"{"s":"x\ufffdy"}"#),
        (#"{"s":"x\\u0000y"}"#, #"{"s":"x\\u0000y"}"#),
        (#"{"s":"\ud800x"}"#, #"{"s":"\ufffdx"}"#),
        (#"{"s":"\udc00"}"#, #"{"s":"\ufffd"}"#),
        (#"{"s":"\ud834\udd1e"}"#, #"{"s":"\ud834\udd1e"}"#),
        (#"{"s":"\ud834\u0041"}"#, #"{"s":"\ufffd\u0041"}"#),
        (#"{"s":"plain"}"#, #"{"s":"plain"}"#),
    ])
    func escapesJSONBRefusesAreReplaced(text: String, expected: String) {
        #expect(String(decoding: JSONText.storable(ArraySlice(text.utf8)), as: UTF8.self) == expected)
    }

    @Test func aNulInAResultOrAFieldDoesNotMakeTheMessageUnstorable() throws {
        let body =
            #"{"schema":1,"job_uuid":"\#(UUID())","source":"worker","events":[{"id":"n","type":"runner_on_ok","timestamp":"2027-01-15T08:00:00Z","host":"a\u0000b","result":{"out":"x\u0000"}}]}"#
        let row = try #require(Self.rows(try IncomingBatch.decode(Array(body.utf8))).first)
        #expect(row[8] == "a\u{FFFD}b")
        #expect(row[17]?.contains(#""out":"x\ufffd""#) == true)
    }

    static let job = UUID().uuidString.lowercased()

    static func message(events: String = #"[{"id":"a","type":"t","timestamp":"2027-01-15T08:00:00Z"}]"#, extra: String = "") -> String {
        #"{"schema":1,"job_uuid":"\#(job)","source":"worker",\#(extra)"events":\#(events)}"#
    }

    @Test(arguments: [
        "", "[]", "{", #"{"schema":1"#, message() + "x", message() + "{}",
        message(extra: #""schema":2,"#), message(extra: #""shard_index":-1,"#), message(extra: #""shard_index":1.5,"#),
        message(extra: #""shard_index":"1","#), message(extra: #""run_id":"nope","#), message(extra: #""attempt":99999999999,"#),
        #"{"schema":1,"source":"worker","events":[]}"#, #"{"schema":1,"job_uuid":"\#(job)","events":[]}"#,
        #"{"schema":1,"job_uuid":"\#(job)","source":"w"}"#,
        message(events: "{}"), message(events: "[1]"), message(events: "[{}]"),
        message(events: #"[{"id":"","type":"t","timestamp":"2027-01-15T08:00:00Z"}]"#),
        message(events: #"[{"id":"a","type":"t"}]"#),
        message(events: #"[{"id":"a","type":"t","timestamp":"yesterday"}]"#),
        message(events: #"[{"id":"a","type":"t","timestamp":"2027-02-29T08:00:00Z"}]"#),
        message(events: #"[{"id":"a","type":"t","timestamp":"2027-01-15T08:00:00"}]"#),
        message(events: #"[{"id":"a","type":"t","timestamp":"2027-01-15T08:00:00Z","started_at":"soon"}]"#),
        message(events: #"[{"id":"a","type":"t","timestamp":"2027-01-15T08:00:00Z","counter":"1"}]"#),
        message(events: #"[{"id":"a","type":"t","timestamp":"2027-01-15T08:00:00Z","duration":"1"}]"#),
        message(events: #"[{"id":"a","type":"t","timestamp":"2027-01-15T08:00:00Z","duration":1e999}]"#),
        message(events: #"[{"id":"a","type":"t","timestamp":"2027-01-15T08:00:00Z","ignore_errors":1}]"#),
        message(events: #"[{"id":"a","type":"t","timestamp":"2027-01-15T08:00:00Z","host":7}]"#),
        message(events: #"[{"id":"a","type":"t","timestamp":"2027-01-15T08:00:00Z","result":{"a":1,}}]"#),
        message(events: #"[{"id":"a","type":"t","timestamp":"2027-01-15T08:00:00Z","result":[1,]}]"#),
        message(events: #"[{"id":"a","type":"t","timestamp":"2027-01-15T08:00:00Z","result":"\x"}]"#),
        message(events: #"[{"id":"a","type":"t","timestamp":"2027-01-15T08:00:00Z","result":"\u12"}]"#),
        message(events: "[{\"id\":\"a\",\"type\":\"t\",\"timestamp\":\"2027-01-15T08:00:00Z\",\"result\":\"tab\there\"}]"),
        message(events: #"[{"id":"a","type":"t","timestamp":"2027-01-15T08:00:00Z","result":01}]"#),
        message(events: #"[{"id":"a","type":"t","timestamp":"2027-01-15T08:00:00Z","result":-}]"#),
        message(events: #"[{"id":"a","type":"t","timestamp":"2027-01-15T08:00:00Z","result":1.}]"#),
        message(events: #"[{"id":"a","type":"t","timestamp":"2027-01-15T08:00:00Z","result":tru}]"#),
        message(events: #"[{"id":"a","type":"t","timestamp":"2027-01-15T08:00:00Z","result":nulll}]"#),
        message(events: #"[{"id":"a","type":"t","timestamp":"2027-01-15T08:00:00Z","result":"open}]"#),
        message(
            events:
                #"[{"id":"a","type":"t","timestamp":"2027-01-15T08:00:00Z","result":\#(String(repeating: "[", count: 300) + String(repeating: "]", count: 300))}]"#
        ),
    ])
    func notAnEventBatchIsPoison(body: String) {
        #expect(throws: PoisonMessage.self) { try IncomingBatch.decode(Array(body.utf8)) }
    }

    @Test func invalidUTF8IsPoison() {
        var body = Array(Self.message().utf8)
        body.insert(0xFF, at: body.count - 10)
        #expect(throws: PoisonMessage.self) { try IncomingBatch.decode(body) }
    }

    @Test func theBenchmarksEventsReadLikeCodableReadsThem() throws {
        for message in BenchJob(shards: 2, hosts: 5, events: 200, eventsPerBatch: 7).batches() {
            let body = try MessageCoding.encode(message)
            let rows = Self.rows(try IncomingBatch.decode(body))
            let reference = try MessageCoding.decode(EventBatch.self, from: body)
            #expect(rows.map { $0[1] } == reference.events.map(\.id))
            for (row, event) in zip(rows, reference.events) {
                #expect(try MessageCoding.decode(PansibleEvent.self, from: Array((row[17] ?? "").utf8)) == event)
            }
        }
    }
}
