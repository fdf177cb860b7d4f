import Hummingbird

/// `GET /api/v1/openapi.json` and `GET /api/v1/openapi.yaml`: the API's OpenAPI 3.1 description (served without
/// a token).
struct OpenAPIController {
    let document: APIContract

    func addRoutes(to router: Router<GatewayRequestContext>) {
        let json = ByteBuffer(string: document.json)
        let yaml = ByteBuffer(string: document.yaml)
        router.get("/api/v1/openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: json))
        }
        router.get("/api/v1/openapi.yaml") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/yaml"], body: .init(byteBuffer: yaml))
        }
    }
}
