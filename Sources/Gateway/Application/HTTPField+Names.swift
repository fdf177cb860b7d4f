import HTTPTypes

extension HTTPField.Name {
    /// Makes a retried launch return the first job.
    static let idempotencyKey = Self("Idempotency-Key")!
    /// Set on the answer to a launch that returned an earlier job for the same key.
    static let idempotentReplayed = Self("Idempotent-Replayed")!
}
