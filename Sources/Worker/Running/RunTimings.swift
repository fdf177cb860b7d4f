import Foundation
import Shared

/// Where a run's time goes, for the `timings` of its closing event: the fixed cost a shard pays before its
/// first task and after its last, beside the time Ansible spends on the hosts.
///
/// Each mark is the moment a step ended; a duration is the gap to the previous mark that was reached.
struct RunTimings: Sendable {
    enum Step: String, CaseIterable, Sendable {
        /// From the split to the worker taking the shard (time in the queue).
        case queued
        /// Credential opened, repository cache fetched or cloned, the pinned commit checked out.
        case checkout
        /// Inventory, group variables and extra variables written.
        case inventory
        /// `ansible-playbook` spawned until its first event (interpreter and plugin start-up, playbook parse).
        case ansibleStart = "ansible_start"
        /// First to last event: the playbook itself.
        case playbook
        /// Last event to the process's exit and the group's end.
        case exit
    }

    private let start: Date
    private let splitAt: Date?
    private var marks: [Step: Date] = [:]

    init(start: Date, splitAt: Date?) {
        self.start = start
        self.splitAt = splitAt
    }

    /// Records the end of `step` (only its first end counts).
    mutating func mark(_ step: Step, at date: Date = Date()) {
        if marks[step] == nil { marks[step] = date }
    }

    /// Seconds per step reached, with `total` (from the worker taking the shard to now).
    func json(now: Date = Date()) -> JSONValue {
        var object: [String: JSONValue] = [:]
        if let splitAt { object[Step.queued.rawValue] = .double(max(0, start.timeIntervalSince(splitAt))) }
        var previous = start
        for step in Step.allCases where step != .queued {
            guard let date = marks[step] else { continue }
            object[step.rawValue] = .double(max(0, date.timeIntervalSince(previous)))
            previous = date
        }
        object["total"] = .double(now.timeIntervalSince(start))
        return .object(object)
    }
}
