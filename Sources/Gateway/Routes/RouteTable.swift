import Foundation
import Hummingbird

/// Every route the gateway registers, as `(method, path pattern)`.
///
/// Hummingbird's router does not list its routes, so registration goes through `RouteBuilder`, which
/// records each one here: the error middleware answers 405 (with `Allow`) for a known path with another
/// method, and a test checks each entry against the OpenAPI document.
final class RouteTable: @unchecked Sendable {
    // @unchecked: `entries` is written only while the router is built, before the server takes requests;
    // the lock makes the later reads safe regardless.
    struct Entry: Sendable, Hashable {
        var method: HTTPRequest.Method
        /// Hummingbird syntax: `/api/v1/job/:uuid`.
        var path: String

        /// The OpenAPI spelling: `/api/v1/job/{uuid}`.
        var openAPIPath: String {
            "/" + path.split(separator: "/").map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }.joined(separator: "/")
        }
    }

    private let lock = NSLock()
    private var entries: [Entry] = []

    init() {}

    func add(_ entry: Entry) {
        lock.withLock { entries.append(entry) }
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
            return zip(pattern, segments).allSatisfy { $0.hasPrefix(":") || $0 == $1 }
        }.map(\.method)
    }
}

/// Registers routes on the router and records them in the route table.
struct RouteBuilder {
    let router: Router<GatewayRequestContext>
    let table: RouteTable

    typealias Handler = @Sendable (Request, GatewayRequestContext) async throws -> Response

    func on(_ method: HTTPRequest.Method, _ path: String, _ handler: @escaping Handler) {
        table.add(.init(method: method, path: path))
        router.on(RouterPath(path), method: method, use: handler)
    }

    func get(_ path: String, _ handler: @escaping Handler) { on(.get, path, handler) }
    func post(_ path: String, _ handler: @escaping Handler) { on(.post, path, handler) }
    func put(_ path: String, _ handler: @escaping Handler) { on(.put, path, handler) }
    func delete(_ path: String, _ handler: @escaping Handler) { on(.delete, path, handler) }
}
