/// Helpers on JSON text.
enum JSONText {
    /// Replaces the escape `\u0000` with `\ufffd`: PostgreSQL's `jsonb` cannot hold NUL, and one NUL in an
    /// Ansible result must not make its whole batch unstorable. Escaped backslashes are respected.
    static func replacingNulEscapes(_ text: String) -> String {
        guard text.contains("\\u0000") else { return text }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        let source = Array(text.utf8)
        var index = 0
        while index < source.count {
            let byte = source[index]
            if byte == UInt8(ascii: "\\"), index + 1 < source.count {
                if source[index + 1] == UInt8(ascii: "u"), index + 5 < source.count, source[(index + 2)...(index + 5)].elementsEqual("0000".utf8) {
                    bytes.append(contentsOf: "\\ufffd".utf8)
                    index += 6
                } else {
                    bytes.append(byte)
                    bytes.append(source[index + 1])
                    index += 2
                }
            } else {
                bytes.append(byte)
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
