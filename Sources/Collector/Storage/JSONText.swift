/// Helpers on JSON text.
enum JSONText {
    /// The JSON with each escape that PostgreSQL's `jsonb` refuses (`\u0000`, an unpaired surrogate) replaced by
    /// `\ufffd`, so one odd character in an Ansible result does not make its whole message unstorable. The
    /// text must be valid JSON; escaped backslashes are respected.
    static func storable(_ json: ArraySlice<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(json.count)
        var index = json.startIndex
        func unit(at offset: Int) -> UInt32? {
            guard offset + 6 <= json.endIndex, json[offset] == UInt8(ascii: "\\"), json[offset + 1] == UInt8(ascii: "u") else { return nil }
            return UInt32(String(decoding: json[(offset + 2)..<(offset + 6)], as: UTF8.self), radix: 16)
        }
        while index < json.endIndex {
            let byte = json[index]
            guard byte == UInt8(ascii: "\\"), index + 1 < json.endIndex else {
                output.append(byte)
                index += 1
                continue
            }
            guard let value = unit(at: index) else {
                output.append(contentsOf: json[index...(index + 1)])
                index += 2
                continue
            }
            switch value {
            case 0xD800...0xDBFF:
                if let low = unit(at: index + 6), (0xDC00...0xDFFF).contains(low) {
                    output.append(contentsOf: json[index..<(index + 12)])
                    index += 12
                    continue
                }
                output.append(contentsOf: #"\ufffd"#.utf8)
            case 0, 0xDC00...0xDFFF:
                output.append(contentsOf: #"\ufffd"#.utf8)
            default:
                output.append(contentsOf: json[index..<(index + 6)])
            }
            index += 6
        }
        return output
    }

    /// Appends `value` as a JSON string (quotes, backslashes and control characters escaped; `/` as is).
    static func appendQuoted(_ value: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x0A: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: [
                    UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)],
                ])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
