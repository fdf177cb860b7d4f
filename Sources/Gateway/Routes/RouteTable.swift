import Foundation
import Hummingbird

/// The routes the router registered, as `(method, path)`: the error middleware answers 405 (with `Allow`) for a
/// known path with another method, and a test checks them against `openapi.yaml`.
///
/// The middleware is added before the routes, so the table is filled once they are all registered.
final class RouteTable: @unchecked Sendable {
    // @unchecked: `entries` is written once, while the router is built and before the server takes requests;
    // the lock makes the later reads safe regardless.
    struct Entry: Sendable, Hashable {
        var method: HTTPRequest.Method
        /// The OpenAPI spelling (Hummingbird's description of a path): `/api/v1/job/{uuid}`.
        var path: String
    }

    private let lock = NSLock()
    private var entries: [Entry] = []

    init() {}

    /// Records every route of `router`.
    func record(_ router: Router<some RequestContext>) {
        let routes = router.routes.map { Entry(method: $0.method, path: $0.path.description) }
        lock.withLock { entries = routes }
    }

    var all: [Entry] {
        lock.withLock { entries }
    }

    /// Methods registered for paths matching `path` (parameters match any segment).
    func methods(matching path: String) -> [HTTPRequest.Method] {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        return all.filter { entry in
            let pattern = entry.path.split(separator: "/", omittingEmptySubsequences: true)
            guard pattern.count == segments.count else { return false }
            return zip(pattern, segments).allSatisfy { ($0.hasPrefix("{") && $0.hasSuffix("}")) || $0 == $1 }
        }.map(\.method)
    }
}
