import Foundation

/// Which events a progress session has sent, in memory that does not grow with the job.
///
/// An event of a run is identified by its run and Ansible's counter (unique in a run); a session sends a
/// run's events mostly in counter order, so each run's sent counters are kept as a few ranges. The few events
/// without a run or counter (the split, the collector's own reports) are kept by id. Memory is bounded by
/// the job's runs and the gaps in what was sent, not by its events.
struct SentEvents: Sendable {
    private var counters: [UUID: [ClosedRange<Int>]] = [:]
    private var ids: Set<String> = []
    /// Events recorded, for logs.
    private(set) var count = 0

    /// Records an event; returns false when it was sent already.
    mutating func insert(id: String, runID: UUID?, counter: Int?) -> Bool {
        guard let runID, let counter else {
            guard ids.insert(id).inserted else { return false }
            count += 1
            return true
        }
        guard Self.insert(counter, into: &counters[runID, default: []]) else { return false }
        count += 1
        return true
    }

    func contains(id: String, runID: UUID?, counter: Int?) -> Bool {
        guard let runID, let counter else { return ids.contains(id) }
        return counters[runID]?.contains { $0.contains(counter) } ?? false
    }

    /// Whether the event before this one in its run was sent (true for a run's first event, and for events
    /// without a run or counter, which have no order to keep).
    func hasSentPredecessor(runID: UUID?, counter: Int?) -> Bool {
        guard let runID, let counter, counter > 1 else { return true }
        return contains(id: "", runID: runID, counter: counter - 1)
    }

    /// Ranges and ids held: what the memory of the record grows with.
    var footprint: Int { counters.values.reduce(0) { $0 + $1.count } + ids.count }

    /// Adds `value` to sorted, disjoint, non-adjacent ranges; false when already there.
    private static func insert(_ value: Int, into ranges: inout [ClosedRange<Int>]) -> Bool {
        // The first range that ends at or after value - 1 (binary search: ranges are sorted).
        var low = 0
        var high = ranges.count
        while low < high {
            let middle = (low + high) / 2
            if ranges[middle].upperBound < value - 1 { low = middle + 1 } else { high = middle }
        }
        if low < ranges.count, ranges[low].contains(value) { return false }
        let joinsBelow = low < ranges.count && ranges[low].upperBound == value - 1
        let joinsAbove: Int? =
            if joinsBelow, low + 1 < ranges.count, ranges[low + 1].lowerBound == value + 1 {
                low + 1
            } else if !joinsBelow, low < ranges.count, ranges[low].lowerBound == value + 1 { low } else { nil }
        switch (joinsBelow, joinsAbove) {
        case (true, let above?):
            ranges[low] = ranges[low].lowerBound...ranges[above].upperBound
            ranges.remove(at: above)
        case (true, nil):
            ranges[low] = ranges[low].lowerBound...value
        case (false, let above?):
            ranges[above] = value...ranges[above].upperBound
        case (false, nil):
            ranges.insert(value...value, at: low)
        }
        return true
    }
}
