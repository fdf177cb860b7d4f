import Foundation
import Hummingbird
import Shared

/// An error answered to the client as `{"error": {"code", "message", "field"?, "line"?, "column"?}}`.
struct APIError: Error, HTTPResponseError, CustomStringConvertible {
    var status: HTTPResponse.Status
    /// Stable, machine-readable: `invalid_json`, `missing_field`, `not_found`, ...
    var code: String
    var message: String
    var field: String?
    var line: Int?
    var column: Int?
    var headers: HTTPFields = [:]

    init(
        _ status: HTTPResponse.Status, code: String, message: String, field: String? = nil, line: Int? = nil, column: Int? = nil,
        headers: HTTPFields = [:]
    ) {
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.line = line
        self.column = column
        self.headers = headers
    }

    var description: String { "\(status.code) \(code): \(message)" }

    /// The same error about a field of the object under `key`: `env` becomes `job.env`.
    func nested(in key: String) -> APIError {
        var error = self
        error.field = field.map { "\(key).\($0)" }
        return error
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = JSONResponse.make(status: status, value: body)
        response.headers.append(contentsOf: headers)
        return response
    }

    var body: JSONValue {
        var error: [String: JSONValue] = ["code": .string(code), "message": .string(message)]
        if let field { error["field"] = .string(field) }
        if let line { error["line"] = .int(Int64(line)) }
        if let column { error["column"] = .int(Int64(column)) }
        return .object(["error": .object(error)])
    }
}

extension APIError {
    static func notFound(_ what: String, id: String) -> APIError {
        APIError(.notFound, code: "not_found", message: "\(what) \(id) does not exist")
    }

    static func missingField(_ field: String) -> APIError {
        APIError(.badRequest, code: "missing_field", message: "the field '\(field)' is required", field: field)
    }

    static func invalidField(_ field: String, _ message: String) -> APIError {
        APIError(.badRequest, code: "invalid_field", message: "\(field): \(message)", field: field)
    }

    /// A query parameter outside `range` (or not an integer at all).
    static func parameterOutOfRange(_ name: String, _ range: ClosedRange<Int64>) -> APIError {
        APIError(
            .badRequest, code: "invalid_parameter", message: "\(name) must be an integer between \(range.lowerBound) and \(range.upperBound)",
            field: name)
    }

    static func wrongType(_ field: String, expected: String) -> APIError {
        APIError(.badRequest, code: "wrong_type", message: "the field '\(field)' must be \(expected)", field: field)
    }

    static let unauthorized = APIError(
        .unauthorized, code: "unauthorized", message: "a valid token is required: Authorization: Bearer <token>",
        headers: [.wwwAuthenticate: "Bearer"]
    )

    /// 403 `forbidden`: the token may not do this (its role, or an environment outside its scope).
    static func forbidden(_ message: String, field: String? = nil) -> APIError {
        APIError(.forbidden, code: "forbidden", message: message, field: field)
    }

    static func conflict(_ code: String, _ message: String) -> APIError {
        APIError(.conflict, code: code, message: message)
    }

    static func tooLarge(limit: Int) -> APIError {
        APIError(.contentTooLarge, code: "body_too_large", message: "the request body is larger than max_body_size (\(limit) bytes)")
    }
}
