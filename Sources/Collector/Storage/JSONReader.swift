/// A validating pull reader over JSON bytes (RFC 8259) that builds no tree: it reads the few values a caller
/// asks for and skips the rest, checking every byte it passes, so the caller can store any span it read as
/// the original JSON text.
///
/// The bytes must already be valid UTF-8 (`init` does not check; `IncomingBatch.decode` does, once per
/// message).
struct JSONReader {
    /// Why the bytes are not the JSON expected, and where.
    struct Failure: Error, CustomStringConvertible {
        var offset: Int
        var message: String
        var description: String { "\(message) at byte \(offset)" }
    }

    /// Nesting deeper than this is refused rather than recursed into.
    static let maximumDepth = 256

    let bytes: [UInt8]
    private(set) var index = 0
    /// Set once a string holds an escape that PostgreSQL's `jsonb` refuses: `\u0000` or an unpaired surrogate.
    var sawUnstorableEscape = false

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    func failure(_ message: String) -> Failure { Failure(offset: index, message: message) }

    /// True when only whitespace is left.
    mutating func isAtEnd() -> Bool {
        skipWhitespace()
        return index == bytes.count
    }

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private mutating func peek() throws -> UInt8 {
        skipWhitespace()
        guard index < bytes.count else { throw failure("unexpected end of JSON") }
        return bytes[index]
    }

    private mutating func expect(_ byte: UInt8, _ what: String) throws {
        guard try peek() == byte else { throw failure("expected \(what)") }
        index += 1
    }

    // MARK: Containers

    /// Offset of the next value's first byte (after whitespace).
    mutating func valueStart() -> Int {
        skipWhitespace()
        return index
    }

    mutating func beginObject(_ what: String) throws {
        try expect(UInt8(ascii: "{"), "\(what): an object")
    }

    /// The next member's key, with the reader at its value; nil after the closing brace. `first` is true
    /// before the first call for an object.
    mutating func nextKey(first: inout Bool) throws -> String? {
        guard try memberFollows(first: &first) else { return nil }
        let key = try stringValue(build: true)
        try expect(UInt8(ascii: ":"), "':'")
        return key
    }

    mutating func beginArray(_ what: String) throws {
        try expect(UInt8(ascii: "["), "\(what): an array")
    }

    /// True with the reader at the next element; false after the closing bracket.
    mutating func nextElement(first: inout Bool) throws -> Bool {
        if try peek() == UInt8(ascii: "]") {
            index += 1
            return false
        }
        if !first {
            guard bytes[index] == UInt8(ascii: ",") else { throw failure("expected ',' or ']'") }
            index += 1
        }
        first = false
        return true
    }

    private mutating func memberFollows(first: inout Bool) throws -> Bool {
        if try peek() == UInt8(ascii: "}") {
            index += 1
            return false
        }
        if !first {
            guard bytes[index] == UInt8(ascii: ",") else { throw failure("expected ',' or '}'") }
            index += 1
        }
        first = false
        guard try peek() == UInt8(ascii: "\"") else { throw failure("expected a key") }
        return true
    }

    // MARK: Scalars

    /// Consumes `null` if it comes next.
    mutating func readNull() throws -> Bool {
        guard try peek() == UInt8(ascii: "n") else { return false }
        try literal("null")
        return true
    }

    mutating func readString(_ what: String) throws -> String {
        guard try peek() == UInt8(ascii: "\"") else { throw failure("\(what): expected a string") }
        return try stringValue(build: true)
    }

    mutating func readOptionalString(_ what: String) throws -> String? {
        try readNull() ? nil : readString(what)
    }

    mutating func readOptionalBool(_ what: String) throws -> Bool? {
        switch try peek() {
        case UInt8(ascii: "t"):
            try literal("true")
            return true
        case UInt8(ascii: "f"):
            try literal("false")
            return false
        case UInt8(ascii: "n"):
            try literal("null")
            return nil
        default: throw failure("\(what): expected a boolean")
        }
    }

    /// An integer within `Int32` (the columns it goes to), or nil for `null`.
    mutating func readOptionalInt32(_ what: String) throws -> Int? {
        if try readNull() { return nil }
        let start = index
        guard let (range, integral) = try number(), integral, range.count <= 11 else {
            index = start
            throw failure("\(what): expected an integer")
        }
        var value = 0
        var negative = false
        for byte in bytes[range] {
            if byte == UInt8(ascii: "-") {
                negative = true
            } else {
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
        }
        if negative { value = -value }
        guard value >= Int(Int32.min), value <= Int(Int32.max) else {
            index = start
            throw failure("\(what): out of range")
        }
        return value
    }

    /// A number as a `Double`, or nil for `null`.
    mutating func readOptionalDouble(_ what: String) throws -> Double? {
        if try readNull() { return nil }
        guard let (range, _) = try number() else { throw failure("\(what): expected a number") }
        guard let value = Double(String(decoding: bytes[range], as: UTF8.self)), value.isFinite else {
            throw failure("\(what): out of range")
        }
        return value
    }

    /// Skips any one value, checking it; returns its span, or nil for `null`.
    mutating func skipOptionalValue() throws -> Range<Int>? {
        if try readNull() { return nil }
        let start = index
        try skipValue()
        return start..<index
    }

    /// Skips any one value, checking it.
    mutating func skipValue(depth: Int = 0) throws {
        switch try peek() {
        case UInt8(ascii: "\""):
            _ = try stringValue(build: false)
        case UInt8(ascii: "{"):
            guard depth < Self.maximumDepth else { throw failure("JSON nested too deeply") }
            index += 1
            var first = true
            while try memberFollows(first: &first) {
                _ = try stringValue(build: false)
                try expect(UInt8(ascii: ":"), "':'")
                try skipValue(depth: depth + 1)
            }
        case UInt8(ascii: "["):
            guard depth < Self.maximumDepth else { throw failure("JSON nested too deeply") }
            index += 1
            var first = true
            while try nextElement(first: &first) { try skipValue(depth: depth + 1) }
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        default:
            guard try number() != nil else { throw failure("expected a JSON value") }
        }
    }

    private mutating func literal(_ word: StaticString) throws {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw failure("unexpected end of JSON") }
        let matches = word.withUTF8Buffer { expected in
            (0..<count).allSatisfy { bytes[index + $0] == expected[$0] }
        }
        guard matches else { throw failure("invalid literal") }
        index += count
    }

    /// The span of a number and whether it is an integer literal; nil (reader unmoved) when no number starts here.
    private mutating func number() throws -> (Range<Int>, Bool)? {
        _ = try peek()
        let start = index
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count, isDigit(bytes[index]) else {
            index = start
            return nil
        }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else {
            skipDigits()
        }
        var integral = true
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            integral = false
            index += 1
            guard index < bytes.count, isDigit(bytes[index]) else { throw failure("invalid number") }
            skipDigits()
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            integral = false
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < bytes.count, isDigit(bytes[index]) else { throw failure("invalid number") }
            skipDigits()
        }
        return (start..<index, integral)
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private mutating func skipDigits() {
        while index < bytes.count, isDigit(bytes[index]) { index += 1 }
    }

    // MARK: Strings

    /// Reads the string starting at the reader (on its quote); builds it only when asked. NUL and unpaired
    /// surrogates become U+FFFD in what is built, and set `sawUnstorableEscape`.
    private mutating func stringValue(build: Bool) throws -> String {
        index += 1
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return build ? String(decoding: bytes[start..<(index - 1)], as: UTF8.self) : ""
            }
            if byte == UInt8(ascii: "\\") { break }
            guard byte >= 0x20 else { throw failure("control character in a string") }
            index += 1
        }
        var built: [UInt8] = []
        if build { built.append(contentsOf: bytes[start..<index]) }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return build ? String(decoding: built, as: UTF8.self) : ""
            }
            guard byte >= 0x20 else { throw failure("control character in a string") }
            guard byte == UInt8(ascii: "\\") else {
                if build { built.append(byte) }
                index += 1
                continue
            }
            guard index + 1 < bytes.count else { break }
            let escape = bytes[index + 1]
            index += 2
            let decoded: UInt8
            switch escape {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): decoded = escape
            case UInt8(ascii: "b"): decoded = 0x08
            case UInt8(ascii: "f"): decoded = 0x0C
            case UInt8(ascii: "n"): decoded = 0x0A
            case UInt8(ascii: "r"): decoded = 0x0D
            case UInt8(ascii: "t"): decoded = 0x09
            case UInt8(ascii: "u"):
                let scalar = try unicodeEscape()
                if build { built.append(contentsOf: String(Character(scalar)).utf8) }
                continue
            default:
                index -= 2
                throw failure("invalid escape in a string")
            }
            if build { built.append(decoded) }
        }
        throw failure("unterminated string")
    }

    /// The scalar of a `\uXXXX` escape (the reader just past its `u`), joining a surrogate pair.
    private mutating func unicodeEscape() throws -> Unicode.Scalar {
        let unit = try hex4()
        switch unit {
        case 0:
            sawUnstorableEscape = true
            return "\u{FFFD}"
        case 0xD800...0xDBFF:
            if index + 6 <= bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") {
                let mark = index
                index += 2
                let low = try hex4()
                if (0xDC00...0xDFFF).contains(low) {
                    return Unicode.Scalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))!
                }
                index = mark
            }
            sawUnstorableEscape = true
            return "\u{FFFD}"
        case 0xDC00...0xDFFF:
            sawUnstorableEscape = true
            return "\u{FFFD}"
        default:
            return Unicode.Scalar(unit)!
        }
    }

    private mutating func hex4() throws -> UInt32 {
        guard index + 4 <= bytes.count else { throw failure("unterminated string") }
        var value: UInt32 = 0
        for offset in 0..<4 {
            let byte = bytes[index + offset]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw failure("invalid \\u escape")
            }
            value = value << 4 | UInt32(digit)
        }
        index += 4
        return value
    }
}
