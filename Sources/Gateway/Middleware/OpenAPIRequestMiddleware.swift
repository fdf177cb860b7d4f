import Hummingbird
import NIOCore

/// Prepares a request for the generated server (`GatewayAPI`):
/// - makes its context (principal, logger) reachable from the operation (`GatewayRequestContext.current`);
/// - reads a request body as JSON whatever its declared type, as the API always has (`curl -d` sends
///   `application/x-www-form-urlencoded`);
/// - collects the body up to `max_body_size` (413 past it), also when no `Content-Length` declared its size.
struct OpenAPIRequestMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext
    let limit: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var request = request
        if [.post, .put, .patch].contains(request.method) {
            let data = try await request.collectData(limit: limit)
            if !data.isEmpty, !Self.isJSON(request.headers[.contentType]) {
                var head = request.head
                head.headerFields[.contentType] = "application/json"
                request = Request(head: head, body: request.body)
            }
        }
        return try await GatewayRequestContext.$current.withValue(context) {
            try await next(request, context)
        }
    }

    /// `application/json`, with or without parameters.
    static func isJSON(_ contentType: String?) -> Bool {
        contentType?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased() == "application/json"
    }
}
