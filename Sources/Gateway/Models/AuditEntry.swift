import Foundation

/// One state-changing call, allowed or refused, as the audit log keeps it.
struct AuditEntry: Sendable, Hashable {
    var id: Int64 = 0
    var at: Date = Date()
    /// The API token's id; nil for the configured admin token and for a call without a valid token.
    var tokenID: Int64?
    /// The token's name (`admin_token` for the configured one); nil without a valid token.
    var tokenName: String?
    var method: String
    var path: String
    /// The operation's `operationId` in `openapi.yaml`, else the method and path.
    var action: String
    var resource: String?
    var resourceID: String?
    var env: String?
    /// The status code answered.
    var status: Int
}

/// A page of the audit log, newest first.
struct AuditQuery: Sendable {
    /// Only entries with an id below this one.
    var cursor: Int64?
    var tokenID: Int64?
    var resource: String?
    var since: Date?
    var until: Date?
    /// Only entries of these environments (a scoped admin's); nil for every entry.
    var envs: [String]?
    var limit: Int64
}
