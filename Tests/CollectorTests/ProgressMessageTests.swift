import Foundation
import Shared
import Testing

@testable import Collector

/// Progress messages are rendered from the event's JSON text; they must read as the seed's shape with every
/// value the event carried, whatever its characters.
@Suite struct ProgressMessageTests {
    static func render(_ event: PansibleEvent, shardIndex: Int? = 2, runID: UUID? = UUID()) throws -> (object: [String: Any], job: UUID) {
        let job = UUID()
        let batch = EventBatch(jobUUID: job, source: "worker", shardIndex: shardIndex, runID: runID, events: [event])
        let scanned = try ScannedBatch.read(try MessageCoding.encode(batch))
        let text = ProgressMessage.text(
            of: scanned.events[0], in: scanned.body, jobUUID: job, shardIndex: scanned.shardIndex, runID: scanned.runID)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        return (object, job)
    }

    @Test func anEventCarriesTheSeedsFieldsAndItsOwnValues() throws {
        let runID = UUID()
        let result: JSONValue = .object(["rc": .int(0), "stdout": .string("a \"quoted\"\nline\t\\ é"), "list": .array([.bool(true), .null])])
        let event = PansibleEvent(
            id: "ev\"1", type: "runner_on_ok", counter: 12, host: "web\n01", play: "play \\ one", task: "task\t\"x\"",
            timestamp: Date(timeIntervalSince1970: 1_800_000_000), result: result, stdout: "ok: [web01]\r\n",
            data: .object(["k": .string("v")]))
        let (object, job) = try Self.render(event, runID: runID)
        #expect(object["_pansible_job"] as? String == job.uuidString.lowercased())
        #expect(object["_pansible_task"] as? String == runID.uuidString.lowercased())
        #expect(object["type"] as? String == "ok")
        #expect(object["event"] as? String == "runner_on_ok")
        #expect(object["id"] as? String == "ev\"1")
        #expect(object["target"] as? String == "web\n01")
        #expect(object["play"] as? String == "play \\ one")
        #expect(object["task"] as? String == "task\t\"x\"")
        #expect(object["counter"] as? Int == 12)
        #expect(object["shard"] as? Int == 2)
        #expect(object["stdout"] as? String == "ok: [web01]\r\n")
        #expect((object["timestamp"] as? String).flatMap(Timestamp.parse) == event.timestamp)
        #expect((object["data"] as? [String: Any])?["k"] as? String == "v")
        let rendered = try #require(object["result"])
        let decoded = try JSONDecoder().decode(JSONValue.self, from: try JSONSerialization.data(withJSONObject: rendered))
        #expect(decoded == result)
    }

    @Test func absentValuesAreNullOrLeftOut() throws {
        let event = PansibleEvent(id: "s", type: "runner_on_unreachable", timestamp: Date())
        let (object, _) = try Self.render(event, shardIndex: nil, runID: nil)
        #expect(object["type"] as? String == "unreachable")
        #expect(object["_pansible_task"] is NSNull)
        #expect(object["target"] is NSNull)
        #expect(object["result"] is NSNull)
        for key in ["counter", "shard", "stdout", "task", "play", "data"] {
            #expect(object[key] == nil, "\(key)")
        }
    }

    @Test(arguments: ["plain", "quote\"", "back\\slash", "new\nline", "ctl\u{1}\u{1F}", "é✓𝄞", "slash/"])
    func stringsAreQuotedAsJSON(value: String) throws {
        var out: [UInt8] = []
        JSONText.appendQuoted(value, to: &out)
        #expect(try JSONDecoder().decode(String.self, from: Data(out)) == value)
    }
}

@Suite struct ProgressControlMessageTests {
    @Test(arguments: ["job_finished", "lagging", "token_revoked"])
    func everyMessageCarriesTheSeedKeys(type: String) throws {
        let job = UUID()
        let value: JSONValue =
            switch type {
            case "job_finished": ProgressMessage.jobFinished(jobUUID: job, status: .successful, reason: nil, recap: [:])
            case "lagging": ProgressMessage.lagging(jobUUID: job, buffer: 10)
            default: ProgressMessage.tokenRevoked(jobUUID: job)
            }
        let text = ProgressMessage.text(value)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["type"] as? String == type)
        #expect(object["_pansible_job"] as? String == job.uuidString.lowercased())
        #expect(object["_pansible_task"] is NSNull, "\(text)")
    }
}
