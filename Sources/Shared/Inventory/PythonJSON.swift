/// Writes JSON exactly as Python's `json.dumps(value, sort_keys=True, indent=4)` does (which is how
/// `ansible-inventory --list` prints): ASCII-only with `\uXXXX` escapes, keys sorted by code point, floats
/// as Python's `repr`, `Infinity` / `NaN` for the non-finite ones.
public struct PythonJSON {
    public private(set) var bytes: [UInt8] = []
    /// Python's `ensure_ascii` (the default): non-ASCII characters as `\uXXXX`. Off, they are written as UTF-8,
    /// which YAML readers also accept (libyaml refuses escaped surrogate pairs).
    public var asciiOnly: Bool

    public init(capacity: Int = 1 << 16, asciiOnly: Bool = true) {
        self.asciiOnly = asciiOnly
        bytes.reserveCapacity(capacity)
    }

    /// Sorts as Python sorts `str`: by code point, which is the order of the UTF-8 bytes.
    public static func keyOrder(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    public static func encode(_ value: JSONValue, asciiOnly: Bool = true) -> [UInt8] {
        var writer = PythonJSON(asciiOnly: asciiOnly)
        writer.write(value, indent: 0)
        return writer.bytes
    }

    public mutating func append(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    public mutating func append(bytes other: [UInt8]) {
        bytes.append(contentsOf: other)
    }

    public mutating func newline(indent: Int) {
        bytes.append(10)
        for _ in 0..<(indent * 4) { bytes.append(32) }
    }

    public mutating func write(_ value: JSONValue, indent: Int) {
        switch value {
        case .null: append("null")
        case .bool(let flag): append(flag ? "true" : "false")
        case .int(let number): append(String(number))
        case .double(let number): append(Self.floatJSON(number))
        case .string(let text): writeString(text)
        case .array(let items):
            if items.isEmpty {
                append("[]")
                return
            }
            bytes.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                newline(indent: indent + 1)
                write(item, indent: indent + 1)
            }
            newline(indent: indent)
            bytes.append(UInt8(ascii: "]"))
        case .object(let object):
            writeObject(object, indent: indent)
        }
    }

    public mutating func writeObject(_ object: [String: JSONValue], indent: Int) {
        if object.isEmpty {
            append("{}")
            return
        }
        bytes.append(UInt8(ascii: "{"))
        var first = true
        for key in object.keys.sorted(by: Self.keyOrder) {
            if !first { bytes.append(UInt8(ascii: ",")) }
            first = false
            newline(indent: indent + 1)
            writeString(key)
            bytes.append(UInt8(ascii: ":"))
            bytes.append(32)
            write(object[key]!, indent: indent + 1)
        }
        newline(indent: indent)
        bytes.append(UInt8(ascii: "}"))
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    public mutating func writeString(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        var plain = true
        for byte in text.utf8 where byte < 0x20 || (byte >= 0x80 && asciiOnly) || byte == 0x22 || byte == 0x5C {
            plain = false
            break
        }
        if plain {
            bytes.append(contentsOf: text.utf8)
        } else {
            for scalar in text.unicodeScalars {
                switch scalar.value {
                case 0x22: append("\\\"")
                case 0x5C: append("\\\\")
                case 0x0A: append("\\n")
                case 0x0D: append("\\r")
                case 0x09: append("\\t")
                case 0x08: append("\\b")
                case 0x0C: append("\\f")
                case 0x20..<0x80: bytes.append(UInt8(scalar.value))
                case 0x80... where !asciiOnly: bytes.append(contentsOf: String(scalar).utf8)
                case 0x10000...:
                    let value = scalar.value - 0x10000
                    unicodeEscape(0xD800 + (value >> 10))
                    unicodeEscape(0xDC00 + (value & 0x3FF))
                default: unicodeEscape(scalar.value)
                }
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func unicodeEscape(_ value: UInt32) {
        bytes.append(UInt8(ascii: "\\"))
        bytes.append(UInt8(ascii: "u"))
        for shift in stride(from: 12, through: 0, by: -4) {
            bytes.append(Self.hex[Int((value >> UInt32(shift)) & 0xF)])
        }
    }

    static func floatJSON(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
        return floatRepr(value)
    }

    /// Python's `repr(float)`: the shortest round-tripping digits, fixed notation when the decimal exponent is
    /// in -4 ..< 16, otherwise `d.ddde+XX`.
    public static func floatRepr(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        if value == 0 { return value.sign == .minus ? "-0.0" : "0.0" }
        // Swift's description also prints the shortest round-tripping digits; take them apart.
        var text = "\(value.magnitude)"
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = Int(text[text.index(after: e)...])!
            text = String(text[..<e])
        }
        var digits: String
        var pointPosition: Int
        if let dot = text.firstIndex(of: ".") {
            let integer = String(text[..<dot])
            let fraction = String(text[text.index(after: dot)...])
            digits = integer + fraction
            pointPosition = integer.count + exponent
        } else {
            digits = text
            pointPosition = text.count + exponent
        }
        // Normalise: strip leading zeros (moving the point) and trailing zeros.
        while digits.hasPrefix("0") && digits.count > 1 {
            digits.removeFirst()
            pointPosition -= 1
        }
        while digits.hasSuffix("0") && digits.count > 1 { digits.removeLast() }
        let sign = value < 0 ? "-" : ""
        // Python: decpt = pointPosition; exponential when decpt <= -4 or decpt > 16.
        if pointPosition > -4 && pointPosition <= 16 {
            if pointPosition <= 0 {
                return sign + "0." + String(repeating: "0", count: -pointPosition) + digits
            }
            if pointPosition >= digits.count {
                return sign + digits + String(repeating: "0", count: pointPosition - digits.count) + ".0"
            }
            let index = digits.index(digits.startIndex, offsetBy: pointPosition)
            return sign + digits[..<index] + "." + digits[index...]
        }
        let exp = pointPosition - 1
        let mantissa = digits.count > 1 ? "\(digits.first!).\(digits.dropFirst())" : digits
        let expText = abs(exp) < 10 ? "0\(abs(exp))" : "\(abs(exp))"
        return "\(sign)\(mantissa)e\(exp < 0 ? "-" : "+")\(expText)"
    }
}
