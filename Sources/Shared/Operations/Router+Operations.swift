import Hummingbird
import Logging
import NIOCore
import PostgresNIO
import Prometheus

extension Router {
    /// `/healthz` (the process runs), `/readyz` (every dependency answers; 503 naming those that don't) and
    /// `/metrics` (Prometheus text). Served without authentication, like any health endpoint.
    public func addOperationsRoutes(checks: [any ReadinessCheck], registry: PrometheusCollectorRegistry) {
        get("/healthz") { _, _ -> Response in
            Self.jsonResponse(status: .ok, body: #"{"status":"ok"}"#)
        }
        get("/readyz") { _, _ -> Response in
            var failing: [String] = []
            for check in checks where !(await check.isReady()) {
                failing.append(check.name)
            }
            if failing.isEmpty {
                return Self.jsonResponse(status: .ok, body: #"{"status":"ready"}"#)
            }
            let names = failing.map { "\"\($0)\"" }.joined(separator: ",")
            return Self.jsonResponse(status: .serviceUnavailable, body: #"{"status":"unavailable","failing":[\#(names)]}"#)
        }
        get("/metrics") { _, _ -> Response in
            var buffer = ByteBuffer()
            buffer.writeBytes(registry.emitToBuffer())
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: buffer)
            )
        }
    }

    private static func jsonResponse(status: HTTPResponse.Status, body: String) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}

extension PostgresClient {
    /// A readiness check that runs `SELECT 1`.
    public func readinessCheck(logger: Logger) -> some ReadinessCheck {
        ClosureReadinessCheck(name: "database") { [self] in
            do {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { _ = try await self.query("SELECT 1", logger: logger) }
                    group.addTask {
                        try await Task.sleep(for: .seconds(2))
                        throw CancellationError()
                    }
                    defer { group.cancelAll() }
                    try await group.next()
                }
                return true
            } catch {
                return false
            }
        }
    }
}
