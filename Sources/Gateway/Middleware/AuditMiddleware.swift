import Foundation
import Hummingbird
import Logging
import Shared

/// Records every state-changing call (POST, PUT, PATCH, DELETE), allowed or refused, in the audit log: when,
/// which token, the operation, the resource and its id, the environment, and the status code answered.
///
/// It wraps every other middleware, so it sees the answer as the client gets it, refusals (401, 403, 404)
/// included. The entry is written before the answer leaves; a failure to write it is logged and does not
/// change the answer, whose work is done by then.
struct AuditMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext
    let audit: any AuditRepository
    let contract: APIContract

    static let recorded: Set<HTTPRequest.Method> = [.post, .put, .patch, .delete]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard Self.recorded.contains(request.method) else { return try await next(request, context) }
        let note = AuditNote()
        var context = context
        context.audit = note
        do {
            let response = try await next(request, context)
            await record(request, status: response.status.code, note: note, logger: context.logger)
            return response
        } catch {
            await record(request, status: (error as? any HTTPResponseError)?.status.code ?? 500, note: note, logger: context.logger)
            throw error
        }
    }

    private func record(_ request: Request, status: Int, note: AuditNote, logger: Logger) async {
        let fields = note.fields
        let path = request.uri.path
        let matched = contract.operation(request.method, path: path)
        let entry = AuditEntry(
            tokenID: fields.principal?.tokenID, tokenName: fields.principal?.name, method: request.method.rawValue, path: path,
            action: matched?.operation.id ?? "\(request.method.rawValue) \(path)",
            resource: matched.flatMap { Self.resource(of: $0.operation.path) }, resourceID: fields.resourceID ?? matched?.parameters.first,
            env: fields.env, status: status
        )
        do {
            try await audit.record(entry)
        } catch {
            logger.error(
                "could not record a call in the audit log",
                metadata: ["audit.action": "\(entry.action)", "audit.status": "\(status)", "error": "\(error)"]
            )
        }
    }

    /// The kind of resource a path names: its first written segment after `/api/v1` (or `/ui`), singular.
    static func resource(of template: String) -> String? {
        var segments = template.split(separator: "/").map(String.init)
        if segments.starts(with: ["api", "v1"]) {
            segments.removeFirst(2)
        } else if segments.first == "ui" {
            segments.removeFirst()
        }
        guard let first = segments.first, !first.hasPrefix("{") else { return nil }
        return ["tokens": "token", "jobs": "job"][first] ?? first
    }
}
