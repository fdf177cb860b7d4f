import Foundation
import NIOConcurrencyHelpers

/// One receiver's arrival times of a benchmark's events (known by their `counter`, 1…n; 0 is a warm-up),
/// measured against the instant each event's message was published.
final class LatencyRecorder: Sendable {
    /// When each event's message was published, by counter.
    final class SendTimes: Sendable {
        private let times: NIOLockedValueBox<[ContinuousClock.Instant?]>

        init(count: Int) {
            times = NIOLockedValueBox(Array(repeating: nil, count: count))
        }

        func set(first: Int, count: Int, to instant: ContinuousClock.Instant) {
            times.withLockedValue { times in
                for counter in first..<(first + count) { times[counter] = instant }
            }
        }

        func get(_ counter: Int) -> ContinuousClock.Instant? {
            times.withLockedValue { counter < $0.count ? $0[counter] : nil }
        }

        var count: Int { times.withLockedValue { $0.count } }
    }

    private struct State {
        var warmedUp = false
        var seen: [Bool]
        var latencies: [Int64] = []
        var duplicates = 0
    }

    private let sent: SendTimes
    private let clock: ContinuousClock
    private let state: NIOLockedValueBox<State>

    init(sent: SendTimes, clock: ContinuousClock) {
        self.sent = sent
        self.clock = clock
        self.state = NIOLockedValueBox(State(seen: Array(repeating: false, count: sent.count)))
    }

    var warmedUp: Bool { state.withLockedValue { $0.warmedUp } }
    var count: Int { state.withLockedValue { $0.latencies.count } }

    /// Records a message whose first `"counter":` is that of the first of `events` consecutive events.
    func received(text: [UInt8], events: Int) {
        let now = clock.now
        guard let first = Self.firstCounter(in: text) else { return }
        guard first > 0 else {
            state.withLockedValue { $0.warmedUp = true }
            return
        }
        guard let published = sent.get(first) else { return }
        let nanoseconds = Self.nanoseconds(now - published)
        state.withLockedValue { state in
            for counter in first..<min(first + events, state.seen.count) {
                if state.seen[counter] {
                    state.duplicates += 1
                } else {
                    state.seen[counter] = true
                    state.latencies.append(nanoseconds)
                }
            }
        }
    }

    static func nanoseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
    }

    /// The integer after the first `"counter":` in JSON text.
    static func firstCounter(in text: [UInt8]) -> Int? {
        let key = Array(#""counter":"#.utf8)
        guard text.count > key.count else { return nil }
        var index = 0
        while index + key.count < text.count {
            if text[index] == key[0], text[index..<(index + key.count)].elementsEqual(key) {
                var value = 0
                var position = index + key.count
                var digits = 0
                while position < text.count, text[position] >= UInt8(ascii: "0"), text[position] <= UInt8(ascii: "9") {
                    value = value * 10 + Int(text[position] - UInt8(ascii: "0"))
                    position += 1
                    digits += 1
                }
                return digits > 0 ? value : nil
            }
            index += 1
        }
        return nil
    }

    /// Latencies of several receivers together.
    struct Summary {
        var sorted: [Int64]
        var duplicates: Int
        var samples: Int { sorted.count }

        init(_ recorders: [LatencyRecorder]) {
            var all: [Int64] = []
            var duplicates = 0
            for recorder in recorders {
                recorder.state.withLockedValue {
                    all.append(contentsOf: $0.latencies)
                    duplicates += $0.duplicates
                }
            }
            sorted = all.sorted()
            self.duplicates = duplicates
        }

        /// The quantile `q` (0…1) in milliseconds, as text.
        func milliseconds(_ q: Double) -> String {
            guard !sorted.isEmpty else { return "-" }
            let index = min(sorted.count - 1, Int((Double(sorted.count) * q).rounded(.down)))
            return String(format: "%.1f", Double(sorted[index]) / 1e6)
        }
    }
}
