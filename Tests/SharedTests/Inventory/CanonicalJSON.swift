/// JSON parsed for comparison: numbers keep whether they were integers (Python's `1` and `1.0` differ), and
/// Python's `NaN` / `Infinity` are accepted.
indirect enum CanonicalJSON: Equatable, CustomStringConvertible {
    case null
    case bool(Bool)
    case int(String)
    case float(Double)
    case nan
    case string(String)
    case array([CanonicalJSON])
    case object([String: CanonicalJSON])

    struct Failure: Error {
        var offset: Int
    }

    var description: String {
        switch self {
        case .null: return "null"
        case .bool(let flag): return "\(flag)"
        case .int(let text): return text
        case .float(let value): return "\(value)"
        case .nan: return "NaN"
        case .string(let text): return "\"\(text)\""
        case .array(let items): return "[\(items.map(\.description).joined(separator: ", "))]"
        case .object(let object): return "{\(object.keys.sorted().map { "\"\($0)\": \(object[$0]!)" }.joined(separator: ", "))}"
        }
    }

    subscript(key: String) -> CanonicalJSON? {
        if case .object(let object) = self { return object[key] }
        return nil
    }

    /// Without `_meta.profile`.
    var withoutProfile: CanonicalJSON {
        guard case .object(var object) = self, case .object(var meta)? = object["_meta"] else { return self }
        meta["profile"] = nil
        object["_meta"] = .object(meta)
        return .object(object)
    }

    static func parse(_ text: String) throws -> CanonicalJSON {
        var parser = Parser(bytes: Array(text.utf8))
        let value = try parser.value()
        parser.skipSpace()
        guard parser.index == parser.bytes.count else { throw Failure(offset: parser.index) }
        return value
    }

    private struct Parser {
        let bytes: [UInt8]
        var index = 0

        mutating func skipSpace() {
            while index < bytes.count, [32, 9, 10, 13].contains(bytes[index]) { index += 1 }
        }

        mutating func literal(_ word: String) -> Bool {
            let utf8 = Array(word.utf8)
            guard index + utf8.count <= bytes.count, Array(bytes[index..<(index + utf8.count)]) == utf8 else { return false }
            index += utf8.count
            return true
        }

        mutating func value() throws -> CanonicalJSON {
            skipSpace()
            guard index < bytes.count else { throw Failure(offset: index) }
            switch bytes[index] {
            case UInt8(ascii: "{"):
                index += 1
                var object: [String: CanonicalJSON] = [:]
                skipSpace()
                if bytes[index] == UInt8(ascii: "}") {
                    index += 1
                    return .object(object)
                }
                while true {
                    skipSpace()
                    guard case .string(let key) = try value() else { throw Failure(offset: index) }
                    skipSpace()
                    guard bytes[index] == UInt8(ascii: ":") else { throw Failure(offset: index) }
                    index += 1
                    object[key] = try value()
                    skipSpace()
                    if bytes[index] == UInt8(ascii: ",") {
                        index += 1
                        continue
                    }
                    guard bytes[index] == UInt8(ascii: "}") else { throw Failure(offset: index) }
                    index += 1
                    return .object(object)
                }
            case UInt8(ascii: "["):
                index += 1
                var items: [CanonicalJSON] = []
                skipSpace()
                if bytes[index] == UInt8(ascii: "]") {
                    index += 1
                    return .array(items)
                }
                while true {
                    items.append(try value())
                    skipSpace()
                    if bytes[index] == UInt8(ascii: ",") {
                        index += 1
                        continue
                    }
                    guard bytes[index] == UInt8(ascii: "]") else { throw Failure(offset: index) }
                    index += 1
                    return .array(items)
                }
            case UInt8(ascii: "\""):
                return .string(try string())
            default:
                if literal("null") { return .null }
                if literal("true") { return .bool(true) }
                if literal("false") { return .bool(false) }
                if literal("NaN") { return .nan }
                if literal("Infinity") { return .float(.infinity) }
                if literal("-Infinity") { return .float(-.infinity) }
                let start = index
                while index < bytes.count, "+-0123456789.eE".utf8.contains(bytes[index]) { index += 1 }
                let text = String(decoding: bytes[start..<index], as: UTF8.self)
                if text.contains(where: { ".eE".contains($0) }) {
                    guard let number = Double(text) else { throw Failure(offset: start) }
                    return .float(number)
                }
                guard !text.isEmpty else { throw Failure(offset: start) }
                return .int(text)
            }
        }

        mutating func string() throws -> String {
            index += 1
            var scalars = String.UnicodeScalarView()
            var raw: [UInt8] = []
            func flush() {
                scalars.append(contentsOf: String(decoding: raw, as: UTF8.self).unicodeScalars)
                raw.removeAll()
            }
            var pendingHigh: UInt32?
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    index += 1
                    flush()
                    return String(scalars)
                }
                if byte == UInt8(ascii: "\\") {
                    flush()
                    let escape = bytes[index + 1]
                    index += 2
                    switch escape {
                    case UInt8(ascii: "n"): scalars.append("\n")
                    case UInt8(ascii: "t"): scalars.append("\t")
                    case UInt8(ascii: "r"): scalars.append("\r")
                    case UInt8(ascii: "b"): scalars.append("\u{08}")
                    case UInt8(ascii: "f"): scalars.append("\u{0C}")
                    case UInt8(ascii: "u"):
                        let hex = String(decoding: bytes[index..<(index + 4)], as: UTF8.self)
                        index += 4
                        guard let value = UInt32(hex, radix: 16) else { throw Failure(offset: index) }
                        if value >= 0xD800 && value < 0xDC00 {
                            pendingHigh = value
                        } else if value >= 0xDC00 && value < 0xE000, let high = pendingHigh {
                            scalars.append(Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (value - 0xDC00))!)
                            pendingHigh = nil
                        } else {
                            scalars.append(Unicode.Scalar(value)!)
                        }
                    default: scalars.append(Unicode.Scalar(escape))
                    }
                    continue
                }
                raw.append(byte)
                index += 1
            }
            throw Failure(offset: index)
        }
    }
}
