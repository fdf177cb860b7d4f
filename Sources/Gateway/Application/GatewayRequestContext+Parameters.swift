import Foundation
import Hummingbird

extension GatewayRequestContext {
    /// A numeric path parameter; anything else names nothing that exists (404).
    func id(_ name: String = "id", of what: String) throws(APIError) -> Int64 {
        let text = parameters.get(name) ?? ""
        guard let id = GatewayAPI.pathID(text) else { throw APIError.notFound(what, id: "'\(text)'") }
        return id
    }

    /// A job uuid path parameter.
    func jobUUID(_ name: String = "uuid") throws(APIError) -> UUID {
        try GatewayAPI.uuid(parameters.get(name) ?? "")
    }
}

extension Request {
    /// A query parameter as an integer within `range`.
    func queryInt(_ name: String, default defaultValue: Int64? = nil, range: ClosedRange<Int64>) throws(APIError) -> Int64? {
        guard let text = uri.queryParameters.get(name), !text.isEmpty else { return defaultValue }
        guard let value = Int64(text), range.contains(value) else { throw .parameterOutOfRange(name, range) }
        return value
    }

    func queryString(_ name: String) -> String? {
        guard let text = uri.queryParameters.get(name), !text.isEmpty else { return nil }
        return text
    }

    func queryBool(_ name: String) throws(APIError) -> Bool? {
        guard let text = queryString(name) else { return nil }
        switch text.lowercased() {
        case "true", "1", "yes": return true
        case "false", "0", "no": return false
        default: throw APIError(.badRequest, code: "invalid_parameter", message: "\(name) must be true or false", field: name)
        }
    }
}
