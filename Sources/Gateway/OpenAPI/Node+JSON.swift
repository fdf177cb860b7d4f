import Foundation
import Yams

extension Node {
    /// The JSON text of this YAML node: mappings keep their key order; a plain scalar is a number, a boolean or
    /// null when YAML resolves it so, and every other scalar (quoted, or resolved as another type) a string.
    func jsonText() throws(APIContractError) -> String {
        var text = ""
        try appendJSON(to: &text)
        return text
    }

    private func appendJSON(to text: inout String) throws(APIContractError) {
        switch self {
        case .scalar(let scalar):
            switch Tag.Name(rawValue: tag.rawValue) {
            case .null:
                text += "null"
            case .bool:
                guard let value = bool else { throw APIContractError(message: "'\(scalar.string)' is not a boolean") }
                text += value ? "true" : "false"
            case .int:
                guard let value = int else { throw APIContractError(message: "'\(scalar.string)' is not an integer") }
                text += String(value)
            case .float:
                guard let value = float, value.isFinite else { throw APIContractError(message: "'\(scalar.string)' is not a JSON number") }
                text += Self.quoted(value)
            default:
                text += Self.quoted(scalar.string)
            }
        case .sequence(let sequence):
            text += "["
            for (index, item) in sequence.enumerated() {
                if index > 0 { text += "," }
                try item.appendJSON(to: &text)
            }
            text += "]"
        case .mapping(let mapping):
            text += "{"
            for (index, pair) in mapping.enumerated() {
                if index > 0 { text += "," }
                guard case .scalar(let key) = pair.key else { throw APIContractError(message: "a mapping key is not a scalar") }
                text += Self.quoted(key.string)
                text += ":"
                try pair.value.appendJSON(to: &text)
            }
            text += "}"
        case .alias:
            throw APIContractError(message: "aliases are not supported")
        }
    }

    /// A string or number in JSON's own spelling.
    private static func quoted(_ value: some Encodable) -> String {
        // Encoding a string or a finite number cannot fail.
        (try? String(decoding: JSONEncoder.plain.encode(value), as: UTF8.self)) ?? "null"
    }
}

extension JSONEncoder {
    fileprivate static var plain: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }
}
