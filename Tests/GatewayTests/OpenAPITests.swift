import Crypto
import Foundation
import Hummingbird
import HummingbirdTesting
import OpenAPIKit
import Shared
import Testing

@testable import Gateway

/// `openapi.yaml` is valid OpenAPI 3.1, is what the gateway serves, and describes exactly the routes it registers.
struct OpenAPITests {
    static func document() throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(try APIContract().json.utf8))
    }

    /// A router built as the gateway builds it.
    static func router() throws -> Router<GatewayRequestContext> {
        try GatewayTestApp.memoryRouter()
    }

    @Test func everyRouteIsDescribedAndEveryDescriptionIsARoute() throws {
        let paths = try #require(try Self.document()["paths"]?.objectValue)
        let routes = try Self.router().routes.map { (method: $0.method, path: $0.path.description) }
        #expect(routes.count > 30)
        for route in routes {
            let operation = paths[route.path]?[route.method.rawValue.lowercased()]
            #expect(operation != nil, "\(route.method.rawValue) \(route.path) is not in openapi.yaml")
        }
        let registered = Set(routes.map { "\($0.method.rawValue.lowercased()) \($0.path)" })
        for (path, item) in paths {
            // A path item's other keys (`parameters`, shared by its operations) are not methods.
            for method in item.objectValue?.keys ?? [:].keys where ["get", "put", "post", "delete", "patch", "head", "options"].contains(method) {
                #expect(registered.contains("\(method) \(path)"), "\(method) \(path) is documented but not routed")
            }
        }
    }

    /// The generated server (`Sources/Gateway/Generated`) comes from this very document: a change to
    /// `openapi.yaml` needs `make openapi`.
    @Test func theGeneratedServerComesFromThisDocument() {
        let digest = SHA256.hash(data: Array(PackageResources.openapi_yaml)).map { String(format: "%02x", $0) }.joined()
        #expect(digest == generatedFromSpecDigest, "openapi.yaml changed after Sources/Gateway/Generated was generated: run make openapi")
    }

    /// The 405 answers come from the document: a path it describes, with a method it does not give that path.
    @Test func theMethodsOfAPathComeFromTheDocument() throws {
        let contract = try APIContract()
        #expect(Set(contract.methods(matching: "/api/v1/inventory/12")) == [.get, .put, .delete])
        #expect(Set(contract.methods(matching: "/api/v1/tokens")) == [.get, .post])
        #expect(contract.methods(matching: "/api/v1/nothing").isEmpty)
    }

    /// OpenAPIKit reads the document as OpenAPI 3.1 and finds nothing wrong in it (references resolve, path
    /// parameters are declared, operation ids are unique, security schemes exist).
    @Test func theDocumentIsValidOpenAPI31() throws {
        let document = try JSONDecoder().decode(OpenAPI.Document.self, from: Data(try APIContract().json.utf8))
        #expect(document.openAPIVersion == .v3_1_0)
        let warnings = try document.validate()
        #expect(warnings.isEmpty, "\(warnings)")
        #expect(document.paths.count > 25)

        // The check finds a reference to nothing.
        let broken = try APIContract().json.replacingOccurrences(of: "#/components/schemas/Token\"", with: "#/components/schemas/Nothing\"")
        let brokenDocument = try JSONDecoder().decode(OpenAPI.Document.self, from: Data(broken.utf8))
        #expect(throws: (any Error).self) { try brokenDocument.validate() }
    }

    /// The JSON keeps YAML's types: quoted scalars stay strings, plain ones become numbers, booleans or null.
    @Test func theJSONKeepsTheYAMLTypesAndKeyOrder() throws {
        let yaml = """
            b: 1
            a: [true, null, '2', 2.5, "yes", 3.1.0]
            c: {d: 'x "y"'}
            """
        let document = try APIContract(yaml: yaml)
        #expect(document.json == #"{"b":1,"a":[true,null,"2",2.5,"yes","3.1.0"],"c":{"d":"x \"y\""}}"#)
        #expect(throws: APIContractError.self) { try APIContract(yaml: "? [a]\n: 1\n") }
    }

    @Test func theDocumentIsServedAsJSONAndAsYAMLWithoutAToken() async throws {
        let app = Application(router: try Self.router())
        try await app.test(.router) { client in
            let json = try await client.execute(uri: "/api/v1/openapi.json", method: .get)
            #expect(json.status == .ok)
            #expect(json.headers[.contentType] == "application/json")
            let served = try JSONDecoder().decode(JSONValue.self, from: Data(json.body.readableBytesView))
            #expect(served["openapi"] == "3.1.0")
            #expect(served == (try Self.document()))
            let yaml = try await client.execute(uri: "/api/v1/openapi.yaml", method: .get)
            #expect(yaml.status == .ok)
            #expect(yaml.headers[.contentType] == "application/yaml")
            #expect(String(buffer: yaml.body) == (try APIContract().yaml))
            #expect(String(buffer: yaml.body).hasPrefix("# The gateway's API contract"))
        }
    }
}
