import Foundation

/// Host keys as Ansible reads them: an optional `:port` (`host:22`, `[::1]:22`, `[10.0.0.1]:22`) and
/// `[begin:end(:step)]` ranges (`web[01:12]`, `db-[a:f]`, `n[1:10:2]`, `x[:3]`), several per name with the
/// first range as the outer loop. Ports follow `ansible.parsing.utils.addresses.parse_address`; ranges
/// follow `expand_hostname_range`, with its rules: a begin with a leading zero pads to its length and needs
/// an end of the same length; `begin > end` is an empty range for numbers and an error for letters.
public enum HostRange {
    public struct Failure: Error, Sendable {
        public var message: String
    }

    /// The host names a key stands for and the port it sets (nil when none).
    public static func expand(_ pattern: String) throws(Failure) -> (hosts: [String], port: Int?) {
        var name = pattern
        var port: Int?
        if pattern.contains(":"), let parsed = parseAddress(pattern) {
            name = parsed.host
            port = parsed.port
        }
        guard name.contains("[") else { return ([name], port) }
        var hosts: [String] = []
        try expandRange(name, into: &hosts)
        return (hosts, port)
    }

    // MARK: - parse_address

    private static func regex(_ pattern: String, caseInsensitive: Bool = false) -> NSRegularExpression {
        var options: NSRegularExpression.Options = [.allowCommentsAndWhitespace]
        if caseInsensitive { options.insert(.caseInsensitive) }
        return try! NSRegularExpression(pattern: pattern, options: options)
    }

    private static let numericRange = #"\[(?:[0-9]+:[0-9]+)(?::[0-9]+)?\]"#
    private static let hexadecimalRange = #"\[(?:[0-9a-f]+:[0-9a-f]+)(?::[0-9]+)?\]"#
    private static let alphanumericRange = #"\[(?:[a-z]:[a-z]|[0-9]+:[0-9]+)(?::[0-9]+)?\]"#
    private static let ipv6Component = "(?:[0-9a-f]{1,4}|\(hexadecimalRange))"
    private static let ipv4Component = "(?:[01]?[0-9]{1,2}|2[0-4][0-9]|25[0-5]|\(numericRange))"
    private static let label = "(?:[\\w]|\(alphanumericRange))(?:[\\w_-]|\(alphanumericRange))*(?<![_-])"

    private static let bracketedHostPort = regex(#"^\[(.+)\]:([0-9]+)$"#)
    private static let hostPort = regex(#"^((?:[^:\[\]]|\[[^\]]*\])*):([0-9]+)$"#)
    private static let ipv4 = regex("^(?:\(ipv4Component)\\.){3}\(ipv4Component)$", caseInsensitive: true)
    private static let ipv6: NSRegularExpression = {
        let c = ipv6Component
        let body = [
            "(?:\(c):){7}\(c)", "(?:\(c):){1,6}:", "(?:\(c):)(?::\(c)){1,6}", "(?:\(c):){2}(?::\(c)){1,5}",
            "(?:\(c):){3}(?::\(c)){1,4}", "(?:\(c):){4}(?::\(c)){1,3}", "(?:\(c):){5}(?::\(c)){1,2}", "(?:\(c):){6}(?::\(c))",
            ":(?::\(c)){1,6}", "\(c)?::", "(?:0:){6}(?:\(c)\\.){3}\(c)", "::(?:ffff:)?(?:\(c)\\.){3}\(c)",
            "(?:0:){5}ffff:(?:\(c)\\.){3}\(c)",
        ].joined(separator: "|")
        return regex("^(\(body))$", caseInsensitive: true)
    }()
    private static let hostname = regex("^\(label)(?:\\.\(label))*$", caseInsensitive: true)

    private static func groups(_ regex: NSRegularExpression, _ text: String) -> [String]? {
        let range = NSRange(text.startIndex..., in: text)
        guard let match = regex.firstMatch(in: text, options: [], range: range) else { return nil }
        return (1..<match.numberOfRanges).map { index in
            Range(match.range(at: index), in: text).map { String(text[$0]) } ?? ""
        }
    }

    private static func matches(_ regex: NSRegularExpression, _ text: String) -> Bool {
        regex.firstMatch(in: text, options: [], range: NSRange(text.startIndex..., in: text)) != nil
    }

    /// `parse_address(address, allow_ranges=True)`; nil when it raises (the key is then taken whole).
    static func parseAddress(_ address: String) -> (host: String, port: Int?)? {
        var address = address
        var port: Int?
        // Both expressions are tried in turn, the second on what the first left (as Ansible's loop does).
        for expression in [bracketedHostPort, hostPort] {
            if let parts = groups(expression, address) {
                address = parts[0]
                guard let number = Int(parts[1]) else { return nil }
                port = number
            }
        }
        guard matches(ipv4, address) || matches(ipv6, address) || matches(hostname, address) else { return nil }
        return (address, port)
    }

    /// Whether `parse_address(pattern, allow_ranges=True)` accepts the text (host pattern splitting needs it).
    static func isAddress(_ text: String) -> Bool { parseAddress(text) != nil }

    // MARK: - expand_hostname_range

    private static let letters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")

    private static func expandRange(_ line: String, into hosts: inout [String]) throws(Failure) {
        guard let open = line.firstIndex(of: "[") else {
            hosts.append(line)
            return
        }
        // Python: replace the first '[' and the first ']' by '|', then split on '|' into exactly three parts.
        var marked = line
        marked.replaceSubrange(open...open, with: "|")
        if let close = marked.firstIndex(of: "]") { marked.replaceSubrange(close...close, with: "|") }
        let parts = marked.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3 else { throw Failure(message: "host range must be one [begin:end] or [begin:end:step] at a time") }
        let (head, body, tail) = (parts[0], parts[1], parts[2])
        let bounds = body.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard bounds.count == 2 || bounds.count == 3 else { throw Failure(message: "host range must be begin:end or begin:end:step") }
        let begin = bounds[0].isEmpty ? "0" : bounds[0]
        let end = bounds[1]
        guard !end.isEmpty else { throw Failure(message: "host range must specify end value") }
        var width: Int?
        if begin.hasPrefix("0") && begin.count > 1 {
            guard begin.count == end.count else {
                throw Failure(message: "host range must specify equal-length begin and end formats")
            }
            width = begin.count
        }
        var step = 1
        if bounds.count == 3 {
            guard let parsed = Inventory.pythonInt(.string(bounds[2])) else {
                throw Failure(message: "host range step '\(bounds[2])' is not an integer")
            }
            step = parsed
        }
        guard step != 0 else { throw Failure(message: "host range step cannot be zero") }
        var sequence: [String] = []
        // `string.ascii_letters.index(begin)` is a substring search, as in Ansible.
        if let first = substringIndex(begin), let last = substringIndex(end) {
            guard first <= last else { throw Failure(message: "host range must have begin <= end") }
            guard step > 0 else { throw Failure(message: "host range step must be positive for letters") }
            sequence = stride(from: first, through: last, by: step).map { String(letters[$0]) }
        } else {
            guard let low = Inventory.pythonInt(.string(begin)), let high = Inventory.pythonInt(.string(end)) else {
                throw Failure(message: "host range [\(body)] is neither numeric nor a single-letter range")
            }
            let upper = high + 1
            if step > 0 {
                if low < upper { sequence = stride(from: low, to: upper, by: step).map { zfill($0, width) } }
            } else if low > upper {
                sequence = stride(from: low, to: upper, by: step).map { zfill($0, width) }
            }
        }
        for value in sequence {
            let name = head + value + tail
            if name.contains("[") {
                try expandRange(name, into: &hosts)
            } else {
                hosts.append(name)
            }
        }
    }

    private static func substringIndex(_ text: String) -> Int? {
        let needle = Array(text)
        guard !needle.isEmpty, needle.count <= letters.count else { return needle.isEmpty ? 0 : nil }
        for start in 0...(letters.count - needle.count) where Array(letters[start..<(start + needle.count)]) == needle {
            return start
        }
        return nil
    }

    /// Python's `str(x).zfill(width)`.
    private static func zfill(_ value: Int, _ width: Int?) -> String {
        let text = String(value)
        guard let width, text.count < width else { return text }
        if value < 0 { return "-" + String(repeating: "0", count: width - text.count) + text.dropFirst() }
        return String(repeating: "0", count: width - text.count) + text
    }
}
