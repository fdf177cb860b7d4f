import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOWebSocket
import ServiceLifecycle
import Shared

extension Router where Context == BasicWebSocketRequestContext {
    /// `GET /api/v1/job/progress/{uuid}` upgraded to a WebSocket: the job's events from the first, then live,
    /// then `job_finished`, after which the server closes the socket.
    ///
    /// The token comes from `Authorization: Bearer …` or, since browsers cannot set headers on WebSockets,
    /// from the `token` query parameter; any role may watch, but only a job in one of the token's environments
    /// (any other answers 404, as an unknown job does). It is checked again every `tokenRecheck` while the session lasts:
    /// once revoked, the subscriber gets `{"type": "token_revoked"}` and the socket is closed with 1008
    /// (policy violation, reason "token revoked"). A subscriber that fell behind gets `lagging` and a close
    /// with 1013 (try again later, reason "lagging"). When the collector shuts down, every session ends at once
    /// (the WebSocket layer sends its close), so a subscriber that stopped reading cannot hold the shutdown up.
    func addProgressRoutes(
        hub: ProgressHub, store: ProgressStore, authenticator: TokenAuthenticator, buffer: Int, tokenRecheck: Duration,
        metrics: CollectorMetrics
    ) {
        ws("/api/v1/job/progress/{uuid}") { request, context in
            guard let text = context.parameters.get("uuid"), let jobUUID = UUID(uuidString: text) else {
                throw HTTPError(.badRequest, message: "the job uuid is not a valid UUID")
            }
            guard let token = Self.token(of: request) else {
                throw HTTPError(.unauthorized, message: "a token is required: Authorization: Bearer TOKEN, or ?token=TOKEN")
            }
            guard let principal = try await authenticator.principal(token) else {
                throw HTTPError(.unauthorized, message: "the token is not valid")
            }
            // A job outside the token's environments is answered as the gateway does: as if it did not exist.
            guard let env = try await store.env(jobUUID: jobUUID), principal.covers(env: env) else {
                throw HTTPError(.notFound, message: "no job \(jobUUID.uuidString.lowercased())")
            }
            return .upgrade([:])
        } onUpgrade: { inbound, outbound, context in
            let request = context.request
            guard let jobUUID = context.requestContext.parameters.get("uuid").flatMap(UUID.init(uuidString:)),
                let token = Self.token(of: request)
            else { return }
            let logger = {
                var logger = context.logger
                logger[metadataKey: "job.uuid"] = "\(jobUUID)"
                return logger
            }()
            let session = ProgressSession(jobUUID: jobUUID, hub: hub, store: store, buffer: buffer, logger: logger) { text in
                try await outbound.write(.text(text))
            }
            let end = try await withThrowingTaskGroup(of: SessionEnd.self) { group in
                // The client closing the socket ends the session.
                group.addTask {
                    for try await _ in inbound {}
                    return .client
                }
                group.addTask {
                    switch try await session.run() {
                    case .finished: return .finished
                    case .lagging: return .lagging
                    }
                }
                group.addTask {
                    try await Self.waitForRevocation(of: token, authenticator: authenticator, every: tokenRecheck, logger: logger)
                    return .revoked
                }
                group.addTask {
                    try await gracefulShutdown()
                    return .shuttingDown
                }
                let end = try await group.next() ?? .client
                group.cancelAll()
                return end
            }
            switch end {
            case .client, .finished, .shuttingDown:
                return
            case .lagging:
                await Self.close(outbound, code: .unknown(1013), reason: "lagging")
            case .revoked:
                metrics.revokedSessions.increment()
                logger.notice("progress subscriber's token was revoked; closing the session")
                let text = ProgressMessage.text(ProgressMessage.tokenRevoked(jobUUID: jobUUID))
                try? await AbandonableTask.run({ try await outbound.write(.text(text)) }, timeout: .seconds(2)) { CancellationError() }
                await Self.close(outbound, code: .policyViolation, reason: "token revoked")
            }
        }
    }

    /// Returns once the token is no longer valid (revoked); a failed check (database away) is tried again later.
    static func waitForRevocation(of token: String, authenticator: TokenAuthenticator, every interval: Duration, logger: Logger) async throws {
        while true {
            try await Task.sleep(for: interval)
            do {
                if try await !authenticator.isValid(token) { return }
            } catch {
                logger.debug("could not check a progress subscriber's token; checking again later", metadata: ["error": "\(error)"])
            }
        }
    }

    /// Sends a close frame, waiting a bounded time for a peer that no longer reads.
    static func close(_ outbound: WebSocketOutboundWriter, code: WebSocketErrorCode, reason: String) async {
        try? await AbandonableTask.run({ try await outbound.close(code, reason: reason) }, timeout: .seconds(2)) { CancellationError() }
    }

    /// The bearer token of the `Authorization` header, else the `token` query parameter (browsers cannot set
    /// headers on a WebSocket).
    static func token(of request: Request) -> String? {
        BearerTokenCheck.token(fromAuthorization: request.headers[.authorization]) ?? request.uri.queryParameters.get("token")
    }
}

/// Why a progress WebSocket ended.
enum SessionEnd: Sendable {
    case client, finished, lagging, revoked, shuttingDown
}
