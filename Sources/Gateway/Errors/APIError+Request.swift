import Foundation
import Hummingbird
import OpenAPIRuntime

extension APIError {
    /// The API's answer to a request the generated server could not turn into an operation's input: a path id
    /// that names nothing (404 `not_found`, as for any id that does not exist), a query parameter of the wrong
    /// type (400 `invalid_parameter`), a body field missing or of the wrong type (400 `missing_field` /
    /// `wrong_type`, naming the field), a body that is not a JSON object (400 `invalid_json`).
    static func request(_ error: ServerError, request: Request, parameters: Parameters) -> APIError {
        if let (name, value) = parameters.first(where: { !Self.isValidPathParameter(name: String($0.key), value: String($0.value)) }) {
            return .notFound(resourceName(parameter: String(name), value: Substring(value), path: request.uri.path), id: "'\(value)'")
        }
        guard let decoding = error.underlyingError as? DecodingError else {
            return APIError(.badRequest, code: "invalid_request", message: error.causeDescription)
        }
        if [.get, .delete, .head].contains(request.method) {
            return parameterError(decoding, request: request)
        }
        if case .known(0) = error.requestBody?.length {
            return APIError(.badRequest, code: "invalid_json", message: "the request body is empty: a JSON object is expected")
        }
        return bodyError(decoding)
    }

    /// `job` for a uuid; otherwise the path's segment before the id, singular: `/api/v1/tokens/x` names a token.
    private static func resourceName(parameter: String, value: Substring, path: String) -> String {
        if parameter == "uuid" { return "job" }
        let segments = path.split(separator: "/")
        guard let index = segments.firstIndex(of: value), index > segments.startIndex else { return "resource" }
        let name = segments[segments.index(before: index)]
        return String(name.hasSuffix("s") ? name.dropLast() : name)
    }

    /// The path parameters' rules, as the handlers apply them (`GatewayAPI.pathID`, `GatewayAPI.uuid`).
    private static func isValidPathParameter(name: String, value: String) -> Bool {
        switch name {
        case "id": return GatewayAPI.pathID(value) != nil
        case "uuid": return (try? GatewayAPI.uuid(value)) != nil
        default: return true
        }
    }

    private static func parameterError(_ error: DecodingError, request: Request) -> APIError {
        let name =
            error.context.codingPath.first?.stringValue
            ?? request.uri.queryParameters.first.map { String($0.key) } ?? "query"
        let expected: String
        switch error {
        case .typeMismatch(let type, _), .valueNotFound(let type, _): expected = describe(type)
        default: expected = "valid"
        }
        if name == "status" {
            return APIError(
                .badRequest, code: "invalid_parameter",
                message: "status must be one of \(Components.Schemas.JobStatus.allCases.map(\.rawValue).joined(separator: ", "))", field: name
            )
        }
        return APIError(.badRequest, code: "invalid_parameter", message: "\(name) must be \(expected)", field: name)
    }

    private static func bodyError(_ error: DecodingError) -> APIError {
        let path = error.context.codingPath.filter { !$0.stringValue.isEmpty }
        switch error {
        case .keyNotFound(let key, let context):
            return .missingField(fieldName((context.codingPath + [key]).filter { !$0.stringValue.isEmpty }))
        case .valueNotFound(let type, _) where !path.isEmpty:
            // A oneOf that matched none of its types reports itself as a value not found.
            if type is Components.Schemas.NameList.Type { return .wrongType(fieldName(path), expected: describe(type)) }
            return .missingField(fieldName(path))
        case .typeMismatch(let type, _) where !path.isEmpty:
            return .wrongType(fieldName(path), expected: describe(type))
        case .typeMismatch, .valueNotFound:
            return APIError(.badRequest, code: "invalid_json", message: "the request body must be a JSON object")
        case .dataCorrupted(let context) where !path.isEmpty:
            return .invalidField(fieldName(path), context.debugDescription)
        case .dataCorrupted(let context):
            let detail = (context.underlyingError as? NSError)?.userInfo[NSDebugDescriptionErrorKey] as? String ?? context.debugDescription
            return APIError(.badRequest, code: "invalid_json", message: "the request body is not valid JSON: \(detail)")
        @unknown default:
            return APIError(.badRequest, code: "invalid_json", message: "the request body could not be read: \(error)")
        }
    }

    /// A field's name as the API writes it: `job.env`, `envs[1]`.
    private static func fieldName(_ path: [any CodingKey]) -> String {
        path.reduce(into: "") { name, key in
            if let index = key.intValue {
                name += "[\(index)]"
            } else {
                name += name.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
    }

    /// What a field of `type` must be, in a message.
    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type, is Int32.Type: "an integer"
        case is Double.Type, is Float.Type: "a number"
        case is Bool.Type: "true or false"
        case is Components.Schemas.NameList.Type: "a list of strings or a comma-separated string"
        case is [Any].Type, is [String].Type: "a list"
        default: "a JSON object"
        }
    }
}

extension DecodingError {
    var context: Context {
        switch self {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .keyNotFound(_, let context), .dataCorrupted(let context):
            return context
        @unknown default:
            return Context(codingPath: [], debugDescription: "\(self)")
        }
    }
}
