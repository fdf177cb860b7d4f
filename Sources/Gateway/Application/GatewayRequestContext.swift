import Hummingbird

/// Who made a request.
enum Principal: Sendable, Equatable {
    /// The configured `admin_token`.
    case admin
    /// An API token, by id.
    case token(Int64)
}

/// The request context of the gateway: the authenticated principal, set by `AuthMiddleware`.
struct GatewayRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    var principal: Principal?

    init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.principal = nil
    }
}
