import Foundation

/// What this worker knows about cancelled jobs and which of their shards it is running.
///
/// Cancelled job ids are remembered for `memory` (default a day, at most `capacity` of them), so shards of
/// a cancelled job still queued for this worker are acknowledged without running. The worker's `Ledger`
/// fills it with every cancel in the ledger stream, including those published before the worker started.
actor CancellationRegistry {
    private var canceled: [UUID: ContinuousClock.Instant] = [:]
    private var running: [UUID: [ObjectIdentifier: RunControl]] = [:]
    private let memory: Duration
    private let capacity: Int

    init(memory: Duration = .seconds(86_400), capacity: Int = 100_000) {
        self.memory = memory
        self.capacity = capacity
    }

    func isCanceled(_ job: UUID) -> Bool {
        guard let at = canceled[job] else { return false }
        return ContinuousClock.now - at < memory
    }

    /// Registers a run; returns false (and does not register) when its job is already cancelled.
    func register(job: UUID, control: RunControl) -> Bool {
        if isCanceled(job) { return false }
        running[job, default: [:]][ObjectIdentifier(control)] = control
        return true
    }

    func unregister(job: UUID, control: RunControl) {
        running[job]?[ObjectIdentifier(control)] = nil
        if running[job]?.isEmpty == true { running[job] = nil }
    }

    /// Marks the job cancelled and stops its running shards (returns once they are stopped).
    func cancel(job: UUID) async {
        let controls = markCanceled(job: job)
        await withTaskGroup(of: Void.self) { group in
            for control in controls {
                group.addTask { await control.stop(.canceled) }
            }
        }
    }

    /// Marks the job cancelled and starts stopping its running shards, without waiting for them (stopping
    /// takes up to the grace periods).
    func beginCancel(job: UUID) {
        for control in markCanceled(job: job) {
            Task { await control.stop(.canceled) }
        }
    }

    /// Marks the job cancelled and returns the controls of its running shards, for the caller to stop.
    func markCanceled(job: UUID) -> [RunControl] {
        canceled[job] = .now
        if canceled.count > capacity {
            let now = ContinuousClock.now
            canceled = canceled.filter { now - $0.value < memory }
            while canceled.count > capacity, let oldest = canceled.min(by: { $0.value < $1.value }) {
                canceled[oldest.key] = nil
            }
        }
        return Array((running[job] ?? [:]).values)
    }
}
