import Hummingbird
import Shared

/// Requires a valid bearer token on every route it wraps; sets `context.principal`.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext
    let authenticator: Authenticator

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let token = BearerTokenCheck.token(fromAuthorization: request.headers[.authorization]),
            let principal = try await authenticator.authenticate(token: token)
        else {
            throw APIError.unauthorized
        }
        var context = context
        context.principal = principal
        context.audit?.note(principal: principal)
        return try await next(request, context)
    }
}
