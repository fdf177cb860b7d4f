import Hummingbird
import Shared

/// The request context of the gateway: the authenticated principal, set by `AuthMiddleware`.
struct GatewayRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    var principal: Principal?

    init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.principal = nil
    }
}
