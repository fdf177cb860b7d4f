import Foundation
import Yams

/// The gateway's API contract: `Sources/Gateway/openapi.yaml`, embedded in the binary at build time, and the
/// same document as JSON, converted once when the gateway starts.
struct OpenAPIDocument: Sendable {
    /// The document as written.
    let yaml: String
    /// The document as JSON, keys in the order the YAML has them.
    let json: String

    /// The embedded `openapi.yaml`.
    init() throws {
        try self.init(yaml: String(decoding: PackageResources.openapi_yaml, as: UTF8.self))
    }

    init(yaml: String) throws {
        guard let node = try Yams.compose(yaml: yaml) else { throw OpenAPIDocumentError(message: "the document is empty") }
        self.yaml = yaml
        self.json = try node.jsonText()
    }
}

/// The document cannot be read as JSON.
struct OpenAPIDocumentError: Error, CustomStringConvertible {
    var message: String
    var description: String { "openapi.yaml: \(message)" }
}
