import Foundation

/// How PyYAML's SafeLoader (which Ansible reads inventories with) resolves and constructs a plain scalar
/// under YAML 1.1: `yes`/`on` are booleans, `0755` is octal, `1:30` is sexagesimal (90), `1e3` is a string
/// (a float needs a dot and a signed exponent), dates become ISO 8601 text as `ansible-inventory` prints them.
///
/// Hand-written matchers, equivalent to PyYAML's resolver expressions, so that resolving 100,000 host keys
/// costs no regular expression.
enum YAML11Scalar {
    enum Kind {
        case null, bool, int, float, timestamp, merge, value, string
    }

    /// The implicit tag PyYAML gives an untagged plain scalar.
    static func kind(of text: String) -> Kind {
        let utf8 = Array(text.utf8)
        if utf8.isEmpty { return .null }
        switch utf8[0] {
        case UInt8(ascii: "y"), UInt8(ascii: "Y"), UInt8(ascii: "n"), UInt8(ascii: "N"), UInt8(ascii: "t"), UInt8(ascii: "T"),
            UInt8(ascii: "f"), UInt8(ascii: "F"), UInt8(ascii: "o"), UInt8(ascii: "O"):
            if boolValue(text) != nil { return .bool }
            if text == "null" || text == "Null" || text == "NULL" { return .null }
            return .string
        case UInt8(ascii: "~"):
            return utf8.count == 1 ? .null : .string
        case UInt8(ascii: "<"):
            return text == "<<" ? .merge : .string
        case UInt8(ascii: "="):
            return utf8.count == 1 ? .value : .string
        case UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."), UInt8(ascii: "0")...UInt8(ascii: "9"):
            if isFloat(utf8) { return .float }
            if isInt(utf8) { return .int }
            if parseTimestamp(utf8) != nil { return .timestamp }
            return .string
        default:
            return .string
        }
    }

    static func boolValue(_ text: String) -> Bool? {
        switch text {
        case "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON": return true
        case "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF": return false
        default: return nil
        }
    }

    // MARK: - Matchers (PyYAML's resolver expressions)

    private static func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }

    /// `[-+]?0b[0-1_]+ | [-+]?0[0-7_]+ | [-+]?(?:0|[1-9][0-9_]*) | [-+]?0x[0-9a-fA-F_]+ | [-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+`
    static func isInt(_ b: [UInt8]) -> Bool {
        var i = 0
        if b[i] == UInt8(ascii: "-") || b[i] == UInt8(ascii: "+") { i += 1 }
        guard i < b.count else { return false }
        let rest = b[i...]
        if rest.first == UInt8(ascii: "0") {
            if rest.count == 1 { return true }
            let second = rest[rest.startIndex + 1]
            let tail = rest.dropFirst(2)
            if second == UInt8(ascii: "b") {
                return !tail.isEmpty && tail.allSatisfy { $0 == 48 || $0 == 49 || $0 == 95 }
            }
            if second == UInt8(ascii: "x") {
                return !tail.isEmpty && tail.allSatisfy { isHexDigit($0) || $0 == 95 }
            }
            return rest.dropFirst().allSatisfy { ($0 >= 48 && $0 <= 55) || $0 == 95 }
        }
        guard let first = rest.first, first >= 49 && first <= 57 else { return false }
        var j = rest.startIndex + 1
        while j < b.count && (isDigit(b[j]) || b[j] == 95) { j += 1 }
        if j == b.count { return true }
        guard let end = sexagesimalGroups(b, from: j) else { return false }
        return end == b.count
    }

    private static func isHexDigit(_ c: UInt8) -> Bool {
        isDigit(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70)
    }

    /// One or more `:[0-5]?[0-9]` from `start`; returns where they end, or nil when there is none.
    private static func sexagesimalGroups(_ b: [UInt8], from start: Int) -> Int? {
        var j = start
        var groups = 0
        while j < b.count && b[j] == UInt8(ascii: ":") {
            var k = j + 1
            while k < b.count && isDigit(b[k]) { k += 1 }
            let run = k - j - 1
            if run == 1 || (run == 2 && b[j + 1] <= UInt8(ascii: "5")) {
                groups += 1
                j = k
            } else {
                return nil
            }
        }
        return groups > 0 ? j : nil
    }

    /// `[-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+][0-9]+)? | \.[0-9][0-9_]*(?:[eE][-+][0-9]+)?
    /// | [-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]* | [-+]?\.(?:inf|Inf|INF) | \.(?:nan|NaN|NAN)`
    static func isFloat(_ b: [UInt8]) -> Bool {
        let text = String(decoding: b, as: UTF8.self)
        switch text {
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN": return true
        default: break
        }
        var i = 0
        if b[0] == UInt8(ascii: ".") {
            guard b.count > 1, isDigit(b[1]) else { return false }
            i = 2
            while i < b.count && (isDigit(b[i]) || b[i] == 95) { i += 1 }
            return exponent(b, from: i)
        }
        if b[i] == UInt8(ascii: "-") || b[i] == UInt8(ascii: "+") { i += 1 }
        guard i < b.count, isDigit(b[i]) else { return false }
        i += 1
        while i < b.count && (isDigit(b[i]) || b[i] == 95) { i += 1 }
        guard i < b.count else { return false }
        if b[i] == UInt8(ascii: ".") {
            i += 1
            while i < b.count && (isDigit(b[i]) || b[i] == 95) { i += 1 }
            return exponent(b, from: i)
        }
        if b[i] == UInt8(ascii: ":") {
            guard let end = sexagesimalGroups(b, from: i), end < b.count, b[end] == UInt8(ascii: ".") else { return false }
            var k = end + 1
            while k < b.count && (isDigit(b[k]) || b[k] == 95) { k += 1 }
            return k == b.count
        }
        return false
    }

    /// End of text, or `[eE][-+][0-9]+` then end of text.
    private static func exponent(_ b: [UInt8], from start: Int) -> Bool {
        if start == b.count { return true }
        guard b[start] == UInt8(ascii: "e") || b[start] == UInt8(ascii: "E"), start + 2 < b.count + 0,
            b.count > start + 2, b[start + 1] == UInt8(ascii: "-") || b[start + 1] == UInt8(ascii: "+")
        else { return false }
        return b[(start + 2)...].allSatisfy(isDigit)
    }

    // MARK: - Timestamps

    struct Timestamp {
        var year: Int, month: Int, day: Int
        var time: (hour: Int, minute: Int, second: Int, fraction: String?, zone: Zone?)?
        enum Zone { case utc, offset(sign: Int, hours: Int, minutes: Int) }
    }

    /// PyYAML's timestamp expression; a date alone needs two-digit month and day.
    static func parseTimestamp(_ b: [UInt8]) -> Timestamp? {
        var i = 0
        func digits(_ minimum: Int, _ maximum: Int) -> Int? {
            var value = 0
            var count = 0
            while i < b.count && count < maximum && isDigit(b[i]) {
                value = value * 10 + Int(b[i] - 48)
                i += 1
                count += 1
            }
            return count >= minimum ? value : nil
        }
        func expect(_ c: Character) -> Bool {
            guard i < b.count, b[i] == c.asciiValue! else { return false }
            i += 1
            return true
        }
        guard let year = digits(4, 4), expect("-") else { return nil }
        let monthStart = i
        guard let month = digits(1, 2), expect("-") else { return nil }
        let monthDigits = i - 1 - monthStart
        let dayStart = i
        guard let day = digits(1, 2) else { return nil }
        let dayDigits = i - dayStart
        if i == b.count {
            return monthDigits == 2 && dayDigits == 2 ? Timestamp(year: year, month: month, day: day, time: nil) : nil
        }
        if b[i] == UInt8(ascii: "T") || b[i] == UInt8(ascii: "t") {
            i += 1
        } else {
            let before = i
            while i < b.count && (b[i] == 32 || b[i] == 9) { i += 1 }
            if i == before { return nil }
        }
        guard let hour = digits(1, 2), expect(":"), let minute = digits(2, 2), expect(":"), let second = digits(2, 2) else { return nil }
        var fraction: String?
        if i < b.count && b[i] == UInt8(ascii: ".") {
            i += 1
            let start = i
            while i < b.count && isDigit(b[i]) { i += 1 }
            fraction = String(decoding: b[start..<i], as: UTF8.self)
        }
        var zone: Timestamp.Zone?
        if i < b.count {
            while i < b.count && (b[i] == 32 || b[i] == 9) { i += 1 }
            guard i < b.count else { return nil }
            if b[i] == UInt8(ascii: "Z") {
                i += 1
                zone = .utc
            } else if b[i] == UInt8(ascii: "-") || b[i] == UInt8(ascii: "+") {
                let sign = b[i] == UInt8(ascii: "-") ? -1 : 1
                i += 1
                guard let hours = digits(1, 2) else { return nil }
                var minutes = 0
                if i < b.count && b[i] == UInt8(ascii: ":") {
                    i += 1
                    guard let value = digits(2, 2) else { return nil }
                    minutes = value
                }
                zone = .offset(sign: sign, hours: hours, minutes: minutes)
            } else {
                return nil
            }
        }
        guard i == b.count else { return nil }
        return Timestamp(year: year, month: month, day: day, time: (hour, minute, second, fraction, zone))
    }

    /// Python's `date.isoformat()` / `datetime.isoformat()` of what PyYAML constructs, as Ansible prints it.
    static func isoformat(_ t: Timestamp) -> String? {
        var components = DateComponents()
        components.calendar = Calendar(identifier: .gregorian)
        components.year = t.year
        components.month = t.month
        components.day = t.day
        guard t.year >= 1, t.month >= 1, t.month <= 12, t.day >= 1, components.isValidDate else { return nil }
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let date = "\(String(repeating: "0", count: max(0, 4 - String(t.year).count)))\(t.year)-\(two(t.month))-\(two(t.day))"
        guard let time = t.time else { return date }
        guard time.hour < 24, time.minute < 60, time.second < 60 else { return nil }
        var text = "\(date)T\(two(time.hour)):\(two(time.minute)):\(two(time.second))"
        if let fraction = time.fraction {
            let micro = String((fraction + "000000").prefix(6))
            if Int(micro) != 0 { text += ".\(micro)" }
        }
        switch time.zone {
        case nil: break
        case .utc: text += "+00:00"
        case .offset(let sign, let hours, let minutes):
            // Python normalises the offset (timedelta), e.g. +24 is rejected, -5 is printed -05:00.
            guard hours * 60 + minutes < 24 * 60 else { return nil }
            text += "\(sign < 0 && (hours != 0 || minutes != 0) ? "-" : "+")\(two(hours)):\(two(minutes))"
        }
        return text
    }

    // MARK: - Constructors

    /// PyYAML's `construct_yaml_int`; nil when the value does not fit 64 bits or is not an integer.
    static func intValue(_ text: String) -> Int64?? {
        var value = text.replacingOccurrences(of: "_", with: "")
        var negative = false
        if value.hasPrefix("-") {
            negative = true
            value.removeFirst()
        } else if value.hasPrefix("+") {
            value.removeFirst()
        }
        func signed(_ magnitude: Int64?) -> Int64?? {
            guard let magnitude else { return .some(nil) }
            return .some(negative ? -magnitude : magnitude)
        }
        if value == "0" { return .some(0) }
        if value.hasPrefix("0b") { return signed(Int64(value.dropFirst(2), radix: 2)) }
        if value.hasPrefix("0x") { return signed(Int64(value.dropFirst(2), radix: 16)) }
        if value.hasPrefix("0") { return signed(Int64(value, radix: 8)) }
        if value.contains(":") {
            var total: Int64 = 0
            for part in value.split(separator: ":", omittingEmptySubsequences: false) {
                guard let digit = Int64(part) else { return nil }
                let (product, overflow) = total.multipliedReportingOverflow(by: 60)
                guard !overflow else { return .some(nil) }
                total = product + digit
            }
            return signed(total)
        }
        guard value.utf8.allSatisfy(isDigit), !value.isEmpty else { return nil }
        return signed(Int64(value))
    }

    /// PyYAML's `construct_yaml_float`.
    static func floatValue(_ text: String) -> Double? {
        var value = text.replacingOccurrences(of: "_", with: "").lowercased()
        var sign = 1.0
        if value.hasPrefix("-") {
            sign = -1
            value.removeFirst()
        } else if value.hasPrefix("+") {
            value.removeFirst()
        }
        if value == ".inf" { return sign * .infinity }
        if value == ".nan" { return .nan }
        if value.contains(":") {
            var total = 0.0
            for part in value.split(separator: ":", omittingEmptySubsequences: false) {
                guard let digit = Double(part) else { return nil }
                total = total * 60 + digit
            }
            return sign * total
        }
        guard let parsed = Double(value) else { return nil }
        return sign * parsed
    }
}
