/// The OpenAPI 3.1 document of the gateway's API, written by hand.
enum OpenAPIDocument {
    static let json = #"""
        {"openapi": "3.1.0", "info": {"title": "Pansible gateway", "version": "1.0.0"}, "paths": {}}
        """#
}
