import Foundation
import Shared

extension JSONValue {
    static func from(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
    static func from(_ value: Int64?) -> JSONValue { value.map(JSONValue.int) ?? .null }
    static func from(_ value: Int?) -> JSONValue { value.map { .int(Int64($0)) } ?? .null }
    static func from(_ value: Bool?) -> JSONValue { value.map(JSONValue.bool) ?? .null }
    static func from(_ value: Date?) -> JSONValue { value.map { .string(Timestamp.format($0)) } ?? .null }
    static func from(_ value: UUID?) -> JSONValue { value.map { .string($0.uuidString.lowercased()) } ?? .null }
}

extension JSONValue {
    /// The JSON tree of an encodable value.
    init(encoding value: some Encodable) throws {
        let data = try MessageCoding.encoder().encode(value)
        self = try JSONDecoder().decode(JSONValue.self, from: data)
    }
}
