import Foundation
import Hummingbird
import Logging
import Shared

/// The gateway's operations, implementing the server protocol generated from `openapi.yaml`
/// (`Sources/Gateway/Generated`, `make openapi`): typed inputs in, typed outputs out. Every failure is thrown as
/// an error and answered in the API's error shape by `ErrorMiddleware`, the one place that keeps that contract.
struct GatewayAPI: APIProtocol {
    let services: GatewayServices

    /// The request's context: its principal and logger (set by `OpenAPIRequestMiddleware`).
    var context: GatewayRequestContext {
        get throws(APIError) {
            guard let context = GatewayRequestContext.current else {
                throw APIError(.internalServerError, code: "internal", message: "the request has no context")
            }
            return context
        }
    }

    var logger: Logger {
        GatewayRequestContext.current?.logger ?? Logger(label: "pansible.gateway")
    }

    /// A numeric id from the path: ids start at 1, so anything else names nothing that exists (404).
    static func id(_ value: Int, of what: String) throws(APIError) -> Int64 {
        guard value > 0 else { throw APIError.notFound(what, id: "\(value)") }
        return Int64(value)
    }

    /// A numeric id as written in a path: ids start at 1.
    static func pathID(_ text: String) -> Int64? {
        Int64(text).flatMap { $0 > 0 ? $0 : nil }
    }

    /// A job's uuid from the path.
    static func uuid(_ text: String) throws(APIError) -> UUID {
        guard let uuid = UUID(uuidString: text) else { throw APIError.notFound("job", id: "'\(text)'") }
        return uuid
    }

    /// A string field that must not be empty once trimmed.
    static func nonEmpty(_ value: String, field: String) throws(APIError) -> String {
        if value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw .invalidField(field, "must not be empty") }
        return value
    }

    /// An optional text where blank means absent.
    static func unlessBlank(_ value: String?, trimming set: CharacterSet = .whitespaces) -> String? {
        value.flatMap { $0.trimmingCharacters(in: set).isEmpty ? nil : $0 }
    }

    /// An integer field within `range`.
    static func int(_ value: Int, field: String, range: ClosedRange<Int64>) throws(APIError) -> Int64 {
        let number = Int64(value)
        guard range.contains(number) else {
            throw .invalidField(field, "must be between \(range.lowerBound) and \(range.upperBound), got \(number)")
        }
        return number
    }

    static func optionalInt(_ value: Int?, field: String, range: ClosedRange<Int64>) throws(APIError) -> Int64? {
        guard let value else { return nil }
        return try int(value, field: field, range: range)
    }

    /// A query parameter within `range`.
    static func parameter(_ value: Int?, name: String, range: ClosedRange<Int64>) throws(APIError) -> Int64? {
        guard let value else { return nil }
        guard range.contains(Int64(value)) else { throw .parameterOutOfRange(name, range) }
        return Int64(value)
    }

    /// The `Idempotency-Key` header: 1 to 255 characters.
    static func idempotencyKey(_ key: String?) throws(APIError) -> String? {
        guard let key else { return nil }
        guard !key.isEmpty, key.count <= 255 else {
            throw APIError(.badRequest, code: "invalid_header", message: "Idempotency-Key must be 1 to 255 characters", field: "Idempotency-Key")
        }
        return key
    }

    /// A list of environments (a token's or a credential's): nil for every one; otherwise at least one, none blank,
    /// each once, in order.
    static func envs(_ value: [String]?, field: String) throws(APIError) -> [String]? {
        guard let value else { return nil }
        guard !value.isEmpty else { throw .invalidField(field, "must name at least one env, or be omitted for every env") }
        var seen: Set<String> = []
        for (index, env) in value.enumerated() {
            if env.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw .invalidField("\(field)[\(index)]", "must not be empty") }
            seen.insert(env)
        }
        return value.filter { seen.remove($0) != nil }
    }

    /// Deletes a stored resource: 404 for an unknown id, 409 `in_use` while a pending or running job uses it.
    func delete(_ id: Int, from repository: some ResourceRepository, name: String) async throws {
        try await repository.delete(id: try Self.id(id, of: name))
    }

    func get<Resource>(_ id: Int, from repository: some ResourceRepository<Resource>, name: String) async throws -> Resource {
        let id = try Self.id(id, of: name)
        guard let resource = try await repository.get(id: id) else { throw APIError.notFound(name, id: "\(id)") }
        return resource
    }
}

extension GatewayRequestContext {
    /// The context of the request being handled by a `GatewayAPI` operation.
    @TaskLocal static var current: GatewayRequestContext?
}
