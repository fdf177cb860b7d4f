/// Counts the shards being run, and whether the service still takes new ones.
actor RunningShards {
    private var running = 0
    private var accepting = false
    private var stopping = false

    /// Counts a new shard in, unless the service is stopping.
    func tryStart() -> Bool {
        guard !stopping else { return false }
        running += 1
        return true
    }

    /// Shards running now; whether the consumer is in place and takes shards; whether it stopped taking them.
    var state: (running: Int, accepting: Bool, stopping: Bool) { (running, accepting && !stopping, stopping) }

    /// The consumer is in place: from now on shards come.
    func open() {
        accepting = true
    }

    func finish() {
        running -= 1
    }

    /// Refuses new shards from now on.
    func stop() {
        stopping = true
    }
}
