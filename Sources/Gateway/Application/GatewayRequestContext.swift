import Hummingbird
import Shared

/// The request context of the gateway: the authenticated principal, set by `AuthMiddleware`, and for a
/// state-changing call its audit entry in the making, set by `AuditMiddleware`.
struct GatewayRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    var principal: Principal?
    var audit: AuditNote?

    init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.principal = nil
        self.audit = nil
    }
}
