import Hummingbird

/// Refuses a request whose declared `Content-Length` is over `max_body_size` before reading it; bodies
/// without a length are cut at the same limit when handlers collect them.
struct BodyLimitMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext
    let limit: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let text = request.headers[.contentLength], let length = Int(text), length > limit {
            throw APIError.tooLarge(limit: limit)
        }
        return try await next(request, context)
    }
}
