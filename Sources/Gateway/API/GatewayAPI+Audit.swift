import Foundation
import Shared

/// `/api/v1/audit`: the audit log (see `AuditMiddleware`), for admins; a token scoped to some environments sees
/// the entries of those environments only.
extension GatewayAPI {
    /// Newest first; `limit` (default 50, at most 500) and `cursor` (the `next` of the previous page); filters
    /// `token` (an API token's id), `resource`, `since` and `until`.
    func listAudit(_ input: Operations.ListAudit.Input) async throws -> Operations.ListAudit.Output {
        let principal = try require(.admin)
        let query = input.query
        if let since = query.since, let until = query.until, until < since {
            throw APIError(.badRequest, code: "invalid_parameter", message: "until must not be before since", field: "until")
        }
        let limit = try Self.parameter(query.limit, name: "limit", range: 1...500) ?? 50
        let entries = try await services.audit.list(
            AuditQuery(
                cursor: try Self.parameter(query.cursor, name: "cursor", range: 1...Int64.max),
                tokenID: try Self.parameter(query.token, name: "token", range: 1...Int64.max),
                resource: Self.unlessBlank(query.resource, trimming: []), since: query.since, until: query.until,
                envs: principal.envs.map { $0.sorted() }, limit: limit + 1
            )
        )
        return .ok(.init(body: .json(ResourcePage(fetched: entries, limit: limit, id: \.id, view: AuditEntryView.init))))
    }
}
