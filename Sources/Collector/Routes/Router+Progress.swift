import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging
import Shared

extension Router where Context == BasicWebSocketRequestContext {
    /// `GET /api/v1/job/progress/{uuid}` upgraded to a WebSocket: the job's events from the first, then live,
    /// then `job_finished`, after which the server closes the socket.
    ///
    /// The token comes from `Authorization: Bearer …` or, since browsers cannot set headers on WebSockets,
    /// from the `token` query parameter.
    func addProgressRoutes(hub: ProgressHub, store: ProgressStore, authenticator: TokenAuthenticator, buffer: Int) {
        ws("/api/v1/job/progress/{uuid}") { request, context in
            guard let text = context.parameters.get("uuid"), let jobUUID = UUID(uuidString: text) else {
                throw HTTPError(.badRequest, message: "the job uuid is not a valid UUID")
            }
            guard let token = Self.token(of: request) else {
                throw HTTPError(.unauthorized, message: "a token is required: Authorization: Bearer TOKEN, or ?token=TOKEN")
            }
            guard try await authenticator.isValid(token) else {
                throw HTTPError(.unauthorized, message: "the token is not valid")
            }
            guard try await store.status(jobUUID: jobUUID) != nil else {
                throw HTTPError(.notFound, message: "no job \(jobUUID.uuidString.lowercased())")
            }
            return .upgrade([:])
        } onUpgrade: { inbound, outbound, context in
            guard let jobUUID = context.requestContext.parameters.get("uuid").flatMap(UUID.init(uuidString:)) else { return }
            var logger = context.logger
            logger[metadataKey: "job.uuid"] = "\(jobUUID)"
            let session = ProgressSession(jobUUID: jobUUID, hub: hub, store: store, buffer: buffer, logger: logger) { text in
                try await outbound.write(.text(text))
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                // The client closing the socket ends the session.
                group.addTask {
                    for try await _ in inbound {}
                }
                group.addTask {
                    try await session.run()
                }
                try await group.next()
                group.cancelAll()
            }
        }
    }

    static func token(of request: Request) -> String? {
        if let header = request.headers[.authorization] {
            let parts = header.split(separator: " ", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "bearer" { return String(parts[1]).trimmingCharacters(in: .whitespaces) }
        }
        return request.uri.queryParameters.get("token")
    }
}
