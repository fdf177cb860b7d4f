/// Which hosts of a job a relaunch runs again.
enum RelaunchHosts: String, Sendable {
    /// Those that failed, were unreachable, or never reported (their shard could not run).
    case failed
    /// Every host the job ran on.
    case all
}
