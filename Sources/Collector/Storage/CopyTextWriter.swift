/// Writes rows in PostgreSQL's `COPY` text format: tab-separated fields, `\N` for NULL, and backslash escapes
/// for backslash, tab, newline and carriage return. NUL, which no text value may hold, becomes U+FFFD.
struct CopyTextWriter {
    var line: String
    private var first = true

    init(line: String = "") {
        self.line = line
    }

    mutating func field(_ value: String?) {
        if !first { line.append("\t") }
        first = false
        guard let value else {
            line.append("\\N")
            return
        }
        guard value.utf8.contains(where: { $0 == 0x5C || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D || $0 == 0x00 }) else {
            line.append(value)
            return
        }
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\\": line.append("\\\\")
            case "\t": line.append("\\t")
            case "\n": line.append("\\n")
            case "\r": line.append("\\r")
            case "\0": line.append("\u{FFFD}")
            default: line.unicodeScalars.append(scalar)
            }
        }
    }

    mutating func endLine() {
        line.append("\n")
        first = true
    }
}
