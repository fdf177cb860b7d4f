import Foundation
import Hummingbird
import Yams

/// The gateway's API contract: `Sources/Gateway/openapi.yaml`, embedded in the binary at build time, the same
/// document as JSON (converted once when the gateway starts), and the methods of each of its paths, from which
/// `ErrorMiddleware` answers 405 with `Allow`.
struct APIContract: Sendable {
    /// The document as written.
    let yaml: String
    /// The document as JSON, keys in the order the YAML has them.
    let json: String
    /// Every operation as `(method, path)`, the path as written in the document: `/api/v1/job/{uuid}`.
    let operations: [Operation]

    struct Operation: Sendable, Hashable {
        var method: HTTPRequest.Method
        var path: String
        /// Its `operationId`.
        var id: String
    }

    /// The embedded `openapi.yaml`.
    init() throws {
        try self.init(yaml: String(decoding: PackageResources.openapi_yaml, as: UTF8.self))
    }

    init(yaml: String) throws {
        guard let node = try Yams.compose(yaml: yaml) else { throw APIContractError(message: "the document is empty") }
        self.yaml = yaml
        self.json = try node.jsonText()
        var operations: [Operation] = []
        for (path, item) in node["paths"]?.mapping ?? [:] {
            for (method, operation) in item.mapping ?? [:] {
                guard let path = path.string, let name = method.string,
                    ["get", "put", "post", "delete", "patch", "head", "options"].contains(name),
                    let method = HTTPRequest.Method(name.uppercased())
                else { continue }
                operations.append(Operation(method: method, path: path, id: operation["operationId"]?.string ?? "\(name.uppercased()) \(path)"))
            }
        }
        self.operations = operations
    }

    /// The methods the document gives paths matching `path` (a `{parameter}` matches any segment).
    func methods(matching path: String) -> [HTTPRequest.Method] {
        operations.filter { Self.parameters(of: $0.path, in: path) != nil }.map(\.method)
    }

    /// The operation serving `method` on `path`, with its path parameters' values in order; a path written out
    /// wins over one with a parameter in its place.
    func operation(_ method: HTTPRequest.Method, path: String) -> (operation: Operation, parameters: [String])? {
        operations.filter { $0.method == method }
            .compactMap { operation in Self.parameters(of: operation.path, in: path).map { (operation, $0) } }
            .min { $0.parameters.count < $1.parameters.count }
    }

    /// The values of `pattern`'s `{parameters}` in `path`, or nil when it does not match.
    private static func parameters(of pattern: String, in path: String) -> [String]? {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        let pattern = pattern.split(separator: "/", omittingEmptySubsequences: true)
        guard pattern.count == segments.count else { return nil }
        var values: [String] = []
        for (part, segment) in zip(pattern, segments) {
            if part.hasPrefix("{") && part.hasSuffix("}") {
                values.append(String(segment))
            } else if part != segment {
                return nil
            }
        }
        return values
    }
}

/// The document cannot be read.
struct APIContractError: Error, CustomStringConvertible {
    var message: String
    var description: String { "openapi.yaml: \(message)" }
}
