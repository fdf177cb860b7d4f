/// The shards this worker is running, by shard message id. When the connection drops under a run, the broker
/// delivers the shard again, often to this same worker: that delivery waits for the run in progress (which
/// goes on, bounded by its timeout) instead of starting a second run beside it, then finds the shard done.
actor LocalRuns {
    private var running: [String: [CheckedContinuation<Void, Never>]] = [:]

    /// Registers a run of `shard`; false when one is in progress already.
    func begin(_ shard: String) -> Bool {
        guard running[shard] == nil else { return false }
        running[shard] = []
        return true
    }

    /// The run of `shard` ended: whoever waits for it goes on.
    func end(_ shard: String) {
        for waiter in running.removeValue(forKey: shard) ?? [] { waiter.resume() }
    }

    /// Returns once no run of `shard` is in progress.
    func waitForEnd(_ shard: String) async {
        guard running[shard] != nil else { return }
        await withCheckedContinuation { running[shard]?.append($0) }
    }
}
