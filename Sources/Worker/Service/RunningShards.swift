/// Counts the shards being run and, once stopping, tells when none is left.
actor RunningShards {
    private var running = 0
    private var accepting = false
    private var stopping = false
    private var idleWaiters: [CheckedContinuation<Void, Never>] = []

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
        if running == 0 && stopping { resumeWaiters() }
    }

    /// Refuses new shards from now on and returns once the running ones are done.
    func stopAndWaitUntilIdle() async {
        stopping = true
        guard running > 0 else { return }
        await withCheckedContinuation { idleWaiters.append($0) }
    }

    private func resumeWaiters() {
        let waiters = idleWaiters
        idleWaiters = []
        waiters.forEach { $0.resume() }
    }
}
