/// Writes rows in PostgreSQL's `COPY` text format as bytes: tab-separated fields, `\N` for NULL, and backslash
/// escapes for backslash, tab, newline and carriage return. NUL, which no text value may hold, becomes U+FFFD.
struct CopyTextWriter {
    var bytes: [UInt8]
    private var first = true

    init(bytes: [UInt8] = []) {
        self.bytes = bytes
    }

    mutating func field(_ value: String?) {
        guard var value else { return null() }
        separate()
        value.withUTF8 { append(escaping: $0) }
    }

    /// A field given as UTF-8 bytes (JSON text, say).
    mutating func field(utf8 value: some Collection<UInt8>) {
        separate()
        if let done: Void = value.withContiguousStorageIfAvailable({ append(escaping: $0) }) { return done }
        Array(value).withUnsafeBufferPointer { append(escaping: $0) }
    }

    mutating func null() {
        separate()
        bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "N")])
    }

    mutating func endRow() {
        bytes.append(UInt8(ascii: "\n"))
        first = true
    }

    private mutating func separate() {
        if !first { bytes.append(UInt8(ascii: "\t")) }
        first = false
    }

    private mutating func append(escaping value: UnsafeBufferPointer<UInt8>) {
        var runStart = 0
        for (offset, byte) in value.enumerated() {
            let escaped: StaticString
            switch byte {
            case 0x5C: escaped = "\\\\"
            case 0x09: escaped = "\\t"
            case 0x0A: escaped = "\\n"
            case 0x0D: escaped = "\\r"
            case 0x00: escaped = "\u{FFFD}"
            default: continue
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: value[runStart..<offset]))
            escaped.withUTF8Buffer { bytes.append(contentsOf: $0) }
            runStart = offset + 1
        }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: value[runStart...]))
    }
}
