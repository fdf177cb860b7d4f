import Foundation
import Hummingbird
import NIOCore
import Shared

/// A request's JSON object, read field by field so that every error names its field.
struct JSONBody: Sendable {
    let fields: [String: JSONValue]

    init(fields: [String: JSONValue]) {
        self.fields = fields
    }

    /// Parses `data` as one JSON object.
    init(data: Data) throws(APIError) {
        if data.isEmpty {
            throw APIError(.badRequest, code: "invalid_json", message: "the request body is empty: a JSON object is expected")
        }
        let value: JSONValue
        do {
            value = try JSONDecoder().decode(JSONValue.self, from: data)
        } catch {
            throw APIError(.badRequest, code: "invalid_json", message: "the request body is not valid JSON: \(Self.describe(error))")
        }
        guard case .object(let fields) = value else {
            throw APIError(.badRequest, code: "invalid_json", message: "the request body must be a JSON object")
        }
        self.fields = fields
    }

    private static func describe(_ error: any Error) -> String {
        if case DecodingError.dataCorrupted(let context) = error {
            if let underlying = context.underlyingError as? NSError, let detail = underlying.userInfo[NSDebugDescriptionErrorKey] as? String {
                return detail
            }
            return context.debugDescription
        }
        return "\(error)"
    }

    private func present(_ field: String) -> JSONValue? {
        guard let value = fields[field], value != .null else { return nil }
        return value
    }

    func string(_ field: String) throws(APIError) -> String {
        guard let value = try optionalString(field) else { throw .missingField(field) }
        return value
    }

    /// A string that is not empty once trimmed.
    func nonEmptyString(_ field: String) throws(APIError) -> String {
        let value = try string(field)
        if value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw .invalidField(field, "must not be empty")
        }
        return value
    }

    func optionalString(_ field: String) throws(APIError) -> String? {
        guard let value = present(field) else { return nil }
        guard case .string(let text) = value else { throw .wrongType(field, expected: "a string") }
        return text
    }

    func int(_ field: String, range: ClosedRange<Int64>? = nil) throws(APIError) -> Int64 {
        guard let value = try optionalInt(field, range: range) else { throw .missingField(field) }
        return value
    }

    func optionalInt(_ field: String, range: ClosedRange<Int64>? = nil) throws(APIError) -> Int64? {
        guard let value = present(field) else { return nil }
        let number: Int64
        switch value {
        case .int(let int): number = int
        case .double(let double) where double.rounded() == double && abs(double) < 9e15: number = Int64(double)
        default: throw .wrongType(field, expected: "an integer")
        }
        if let range, !range.contains(number) {
            throw .invalidField(field, "must be between \(range.lowerBound) and \(range.upperBound), got \(number)")
        }
        return number
    }

    func optionalBool(_ field: String) throws(APIError) -> Bool? {
        guard let value = present(field) else { return nil }
        guard case .bool(let bool) = value else { throw .wrongType(field, expected: "true or false") }
        return bool
    }

    func optionalObject(_ field: String) throws(APIError) -> [String: JSONValue]? {
        guard let value = present(field) else { return nil }
        guard case .object(let object) = value else { throw .wrongType(field, expected: "a JSON object") }
        return object
    }

    /// A list of names given as an array of strings or a comma-separated string.
    func optionalNameList(_ field: String) throws(APIError) -> [String]? {
        guard let value = present(field) else { return nil }
        var names: [String]
        switch value {
        case .string(let text):
            names = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        case .array(let items):
            names = []
            for item in items {
                guard case .string(let name) = item else { throw .wrongType(field, expected: "a list of strings or a comma-separated string") }
                names.append(name.trimmingCharacters(in: .whitespaces))
            }
        default:
            throw .wrongType(field, expected: "a list of strings or a comma-separated string")
        }
        names.removeAll { $0.isEmpty }
        return names.isEmpty ? nil : names
    }
}

extension Request {
    /// The body, refused with 413 past `limit` bytes.
    mutating func collectData(limit: Int) async throws(APIError) -> Data {
        do {
            let buffer = try await collectBody(upTo: limit)
            return Data(buffer.readableBytesView)
        } catch is NIOTooManyBytesError {
            throw .tooLarge(limit: limit)
        } catch {
            throw APIError(.badRequest, code: "invalid_body", message: "the request body could not be read")
        }
    }

    /// The body as a JSON object.
    mutating func jsonBody(limit: Int) async throws(APIError) -> JSONBody {
        try JSONBody(data: try await collectData(limit: limit))
    }
}
