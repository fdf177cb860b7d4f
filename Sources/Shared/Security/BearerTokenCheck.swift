import Foundation

/// The one check of bearer tokens, for the gateway and the collector alike: the configured admin token
/// (compared in constant time, `TokenCheck`), or an API token (`pst_…`) whose SHA-256 digest names a token
/// that is not revoked, with its role and scope.
public struct BearerTokenCheck: Sendable {
    /// Prefix of every API token, so leaked tokens are recognisable.
    public static let apiTokenPrefix = "pst_"

    let adminToken: String?
    let lookUp: @Sendable (_ digest: [UInt8]) async throws -> Principal?

    /// - Parameters:
    ///   - adminToken: the configured `admin_token`; nil or empty matches nothing.
    ///   - lookUp: the API token with this digest that is not revoked, or nil.
    public init(adminToken: String?, lookUp: @escaping @Sendable (_ digest: [UInt8]) async throws -> Principal?) {
        self.adminToken = adminToken
        self.lookUp = lookUp
    }

    /// The principal for `token`, or nil when it is unknown or revoked.
    public func principal(for token: String) async throws -> Principal? {
        if TokenCheck.isAdmin(token, adminToken: adminToken) {
            return .adminToken
        }
        guard token.hasPrefix(Self.apiTokenPrefix) else { return nil }
        return try await lookUp(TokenCheck.digest(token))
    }

    /// The token of an `Authorization: Bearer <token>` header value (the scheme in any case), or nil.
    public static func token(fromAuthorization header: String?) -> String? {
        guard let header else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }
}
