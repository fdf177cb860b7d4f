/// Since when each pool has had no live worker, as this collector saw it.
actor SilentPools {
    private var silentSince: [String: ContinuousClock.Instant] = [:]

    /// Records what was seen; returns how long the pool has been without a worker (nil while it has one).
    func observe(pool: String, workers: Int, at now: ContinuousClock.Instant) -> Duration? {
        guard workers == 0 else {
            silentSince[pool] = nil
            return nil
        }
        let since = silentSince[pool] ?? now
        silentSince[pool] = since
        return now - since
    }
}
