import HTTPTypes

extension HTTPField.Name {
    /// Makes a retried launch return the first job.
    static let idempotencyKey = Self("Idempotency-Key")!
    /// Set on the answer to a launch that returned an earlier job for the same key.
    static let idempotentReplayed = Self("Idempotent-Replayed")!
    /// Set on the web view's pages: their address (a job's) stays in the browser.
    static let referrerPolicy = Self("Referrer-Policy")!
}
