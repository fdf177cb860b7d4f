import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import PostgresNIO
import Prometheus
import Shared
import TestSupport
import Testing

@testable import Gateway

struct OpenAPITests {
    static func document() throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(OpenAPIDocument.json.utf8))
    }

    /// The route table of a router built as the gateway builds it (the database is never reached).
    static func routes() throws -> [RouteTable.Entry] {
        let configuration = try GatewayTestApp.configuration(databaseURL: URL(string: "postgres://postgres@127.0.0.1:1/none")!)
        let postgres = try PostgresClient(configuration: configuration.database, logger: Logger(label: "test"))
        let services = GatewayServices(
            postgres: postgres, sealer: try CredentialSealer(base64Key: GatewayTestApp.secretKey),
            launcher: JobLauncher(postgres: postgres, signal: OutboxSignal()), inventory: InventoryChecker(), maxBodySize: 1024
        )
        let built = buildRouter(
            services: services, authenticator: Authenticator(adminToken: "x", postgres: postgres), readinessChecks: [],
            registry: PrometheusCollectorRegistry()
        )
        return built.routes.all
    }

    @Test func everyRouteIsDescribedAndEveryDescriptionIsARoute() throws {
        let paths = try #require(try Self.document()["paths"]?.objectValue)
        let routes = try Self.routes()
        #expect(routes.count > 30)
        for route in routes {
            let operation = paths[route.openAPIPath]?[route.method.rawValue.lowercased()]
            #expect(operation != nil, "\(route.method.rawValue) \(route.openAPIPath) is not in openapi.json")
        }
        let registered = Set(routes.map { "\($0.method.rawValue.lowercased()) \($0.openAPIPath)" })
        for (path, item) in paths {
            for method in item.objectValue?.keys ?? [:].keys {
                #expect(registered.contains("\(method) \(path)"), "\(method) \(path) is documented but not routed")
            }
        }
    }

    @Test func theDocumentIsValidOpenAPI31() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("pansible-openapi-\(UUID().uuidString).json")
        try Data(OpenAPIDocument.json.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", "-c",
            "import json, sys; from openapi_spec_validator import validate; d = json.load(open(sys.argv[1])); validate(d); assert d['openapi'].startswith('3.1')",
            file.path,
        ]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        process.waitUntilExit()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 0, "\(message)")
    }
}

@Suite(.enabled(if: TestServices.available))
struct OpenAPIRouteTests {
    @Test func theDocumentIsServedWithoutAToken() async throws {
        try await GatewayTestApp.withApp { client, _ in
            let response = try await client.api("/api/v1/openapi.json", method: .get, token: nil)
            #expect(response.status == .ok)
            #expect(try response.json()["openapi"] == "3.1.0")
        }
    }
}
