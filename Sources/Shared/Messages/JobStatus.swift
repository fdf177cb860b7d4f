/// A job's status, as stored and reported.
public enum JobStatus: String, Codable, Sendable, CaseIterable {
    /// Accepted, not yet split or started.
    case pending
    /// At least one event arrived.
    case running
    /// Every shard finished and no host failed or was unreachable.
    case successful
    /// Every shard finished and some host failed or was unreachable.
    case failed
    /// The job could not be split, or a shard could not run or was dead-lettered.
    case error
    case canceled

    public var isFinished: Bool {
        switch self {
        case .pending, .running: return false
        case .successful, .failed, .error, .canceled: return true
        }
    }
}
