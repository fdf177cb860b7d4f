import Hummingbird

/// `GET /api/v1/openapi.json`: the API's OpenAPI 3.1 description (served without a token).
struct OpenAPIController {
    func addRoutes(to routes: RouteBuilder) {
        routes.get("/api/v1/openapi.json") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.json))
            )
        }
    }
}
