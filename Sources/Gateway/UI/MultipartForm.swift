import Foundation

/// A parsed `multipart/form-data` body: each part's name, optional file name and bytes.
struct MultipartForm: Sendable {
    struct Part: Sendable {
        var name: String
        var filename: String?
        var data: Data

        var text: String? { String(data: data, encoding: .utf8) }
    }

    var parts: [Part]

    /// The text of the first part named `name`, nil when absent or empty.
    func text(_ name: String) -> String? {
        guard let part = parts.first(where: { $0.name == name }), let text = part.text, !text.isEmpty else { return nil }
        return text
    }

    enum ParseError: Error, Equatable {
        case noBoundary
        case malformed(String)
    }

    /// The boundary of a `multipart/form-data; boundary=...` content type.
    static func boundary(contentType: String) -> String? {
        let items = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard items.first?.lowercased() == "multipart/form-data" else { return nil }
        for item in items.dropFirst() where item.lowercased().hasPrefix("boundary=") {
            var value = String(item.dropFirst("boundary=".count))
            if value.hasPrefix("\"") && value.hasSuffix("\"") && value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            return value.isEmpty ? nil : value
        }
        return nil
    }

    init(parts: [Part]) {
        self.parts = parts
    }

    init(data: Data, boundary: String) throws(ParseError) {
        let bytes = [UInt8](data)
        let delimiter = Array("--\(boundary)".utf8)
        var positions: [Int] = []
        var index = 0
        while let found = Self.find(delimiter, in: bytes, from: index) {
            positions.append(found)
            index = found + delimiter.count
        }
        guard positions.count >= 2 else { throw .malformed("no parts delimited by the boundary") }
        var parts: [Part] = []
        for (start, end) in zip(positions, positions.dropFirst()) {
            var partStart = start + delimiter.count
            // Skip the CRLF after the delimiter line.
            if partStart + 1 < bytes.count, bytes[partStart] == 13, bytes[partStart + 1] == 10 { partStart += 2 }
            // The CRLF before the next delimiter belongs to it.
            var partEnd = end
            if partEnd >= 2, bytes[partEnd - 2] == 13, bytes[partEnd - 1] == 10 { partEnd -= 2 }
            guard partStart <= partEnd else { throw .malformed("a part is truncated") }
            let part = Array(bytes[partStart..<partEnd])
            guard let headerEnd = Self.find(Array("\r\n\r\n".utf8), in: part, from: 0) else { throw .malformed("a part has no header end") }
            let headerText = String(decoding: part[..<headerEnd], as: UTF8.self)
            var name: String?
            var filename: String?
            for line in headerText.components(separatedBy: "\r\n") where line.lowercased().hasPrefix("content-disposition:") {
                name = Self.parameter("name", in: line)
                filename = Self.parameter("filename", in: line)
            }
            guard let name else { throw .malformed("a part has no name") }
            parts.append(Part(name: name, filename: filename, data: Data(part[(headerEnd + 4)...])))
        }
        self.parts = parts
    }

    private static func parameter(_ key: String, in line: String) -> String? {
        for item in line.split(separator: ";").dropFirst() {
            let pair = item.trimmingCharacters(in: .whitespaces)
            guard pair.lowercased().hasPrefix("\(key)=") else { continue }
            var value = String(pair.dropFirst(key.count + 1))
            if value.hasPrefix("\"") && value.hasSuffix("\"") && value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            return value
        }
        return nil
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
        var index = start
        let first = needle[0]
        while index <= haystack.count - needle.count {
            if haystack[index] == first && Array(haystack[index..<(index + needle.count)]) == needle { return index }
            index += 1
        }
        return nil
    }
}
