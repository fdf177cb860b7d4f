import NIOConcurrencyHelpers
import Shared

/// What the audit log records of one call, filled in as the request passes through: the principal by
/// `AuthMiddleware` (or the upload form), the resource's id and environment by the handler. Copies of a
/// request context share it.
struct AuditNote: Sendable {
    struct Fields: Sendable {
        var principal: Principal?
        var resourceID: String?
        var env: String?
    }

    private let box = NIOLockedValueBox(Fields())

    var fields: Fields { box.withLockedValue { $0 } }

    func note(principal: Principal) {
        box.withLockedValue { $0.principal = principal }
    }

    /// Sets what is given, keeping what is not.
    func note(resourceID: String?, env: String?) {
        box.withLockedValue { fields in
            if let resourceID { fields.resourceID = resourceID }
            if let env { fields.env = env }
        }
    }
}
