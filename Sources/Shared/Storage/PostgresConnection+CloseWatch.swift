import PostgresNIO

/// Thrown in place of a result when the connection closed under work that never returned.
public struct ConnectionLostError: Error, CustomStringConvertible {
    public init() {}
    public var description: String { "the database connection closed while work on it was still waiting" }
}

extension PostgresConnection {
    /// Runs `work` on this connection and fails with `ConnectionLostError` when the connection has closed and
    /// `work` has still not returned `grace` later.
    ///
    /// When the server goes away in the middle of a statement (stopped or restarted while the statement waits on a
    /// row lock, for one), postgres-nio can leave the statement's row sequence waiting forever, and cancelling that
    /// wait does nothing. A caller awaiting it directly would neither retry nor shut down. So `work` runs as an
    /// `AbandonableTask`: its connection is closed, so it holds no lease the pool still counts, and a caller that
    /// acknowledges only after `work` returns loses nothing by walking away.
    public func failingWhenClosed<Value: Sendable>(
        poll: Duration = .milliseconds(250),
        grace: Duration = .seconds(2),
        _ work: @escaping @Sendable (PostgresConnection) async throws -> Value
    ) async throws -> Value {
        try await AbandonableTask.run {
            try await work(self)
        } abandoningWhen: {
            var closedSince: ContinuousClock.Instant?
            while (try? await Task.sleep(for: poll)) != nil {
                guard self.isClosed else { continue }
                let since = closedSince ?? .now
                closedSince = since
                if since.duration(to: .now) >= grace { return ConnectionLostError() }
            }
            return nil
        }
    }
}
