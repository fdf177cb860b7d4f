import Foundation

/// Ansible's host patterns (`InventoryManager.get_hosts`, `subset`): `all`, `*`, names, globs (`web*`,
/// `db-?`, `[ab]x`), `~regex` (matched at the start of the name, like Python's `re.match`), `a:b` or
/// `a,b` (union), `a:&b` (intersection), `a:!b` (exclusion), subscripts `g[0]`, `g[-1]`, `g[0:2]`
/// (inclusive). Plain patterns are applied first, then intersections, then exclusions, whatever their
/// order in the text. A pattern that is a host's exact name selects that host; otherwise groups whose names
/// match contribute their hosts, and host names are matched too when no group matched or the pattern has
/// a glob or regex character (`.`, `?`, `*`, `[`, `~`).
extension Inventory {
    /// The hosts `pattern` selects, in Ansible's order.
    public func hosts(matching pattern: String) throws(InventoryError) -> [Int] {
        try evaluate(Self.splitPattern(pattern))
    }

    /// The hosts a job's `limit` keeps: `all`'s hosts (in that order) that the pattern selects, as
    /// `ansible-playbook --limit` and `ansible all --list-hosts -l` do.
    public func limit(_ pattern: String) throws(InventoryError) -> [Int] {
        let parts = Self.splitPattern(pattern)
        if let file = parts.first(where: { $0.hasPrefix("@") }) {
            throw InventoryError(.pattern, "limit files ('\(file)') are not supported; list the hosts instead")
        }
        let chosen = Set(try evaluate(parts))
        return hostsOf(group: Self.allGroup).filter { chosen.contains($0) }
    }

    /// `split_host_pattern`.
    static func splitPattern(_ pattern: String) -> [String] {
        var parts: [String]
        if pattern.contains(",") {
            parts = pattern.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        } else if HostRange.isAddress(pattern) {
            parts = [pattern]
        } else {
            // `(?:[^\s:\[\]]|\[[^\]]*\])+`, found repeatedly.
            parts = []
            var current = ""
            var index = pattern.startIndex
            while index < pattern.endIndex {
                let character = pattern[index]
                if character == "[", let close = pattern[index...].firstIndex(of: "]") {
                    current += pattern[index...close]
                    index = pattern.index(after: close)
                    continue
                }
                if character.isWhitespace || character == ":" || character == "[" || character == "]" {
                    if !current.isEmpty { parts.append(current) }
                    current = ""
                } else {
                    current.append(character)
                }
                index = pattern.index(after: index)
            }
            if !current.isEmpty { parts.append(current) }
        }
        return parts.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
    }

    /// `_evaluate_patterns`, then `deduplicate_list`.
    private func evaluate(_ patterns: [String]) throws(InventoryError) -> [Int] {
        var regular = patterns.filter { !$0.hasPrefix("!") && !$0.hasPrefix("&") }
        let intersections = patterns.filter { $0.hasPrefix("&") }
        let exclusions = patterns.filter { $0.hasPrefix("!") }
        if regular.isEmpty { regular = ["all"] }
        var result: [Int] = []
        var cache: [String: [Int]] = [:]
        for pattern in regular + intersections + exclusions {
            if let host = hostIndex[pattern] {
                result.append(host)
                continue
            }
            let body = pattern.hasPrefix("!") || pattern.hasPrefix("&") ? String(pattern.dropFirst()) : pattern
            let matched: [Int]
            if let known = cache[body] {
                matched = known
            } else {
                matched = try matchOne(body, original: pattern)
                cache[body] = matched
            }
            if pattern.hasPrefix("!") {
                let excluded = Set(matched)
                result.removeAll { excluded.contains($0) }
            } else if pattern.hasPrefix("&") {
                let kept = Set(matched)
                result.removeAll { !kept.contains($0) }
            } else {
                let existing = Set(result)
                result.append(contentsOf: matched.filter { !existing.contains($0) })
            }
        }
        var seen: Set<Int> = []
        return result.filter { seen.insert($0).inserted }
    }

    /// `_match_one_pattern`: the subscript applies to the matches before duplicates are removed.
    private func matchOne(_ pattern: String, original: String) throws(InventoryError) -> [Int] {
        guard !pattern.isEmpty else { return [] }
        let (expression, selection) = Self.splitSubscript(pattern)
        let matches = try enumerate(expression)
        guard let selection, !matches.isEmpty else { return matches }
        switch selection {
        case .index(let index):
            let position = index < 0 ? matches.count + index : index
            guard position >= 0 && position < matches.count else {
                throw InventoryError(.pattern, "No hosts matched the subscripted pattern '\(pattern)'")
            }
            return [matches[position]]
        case .range(let start, let end):
            // Python: `if end:` — an end of 0 selects the single host at `start`.
            if end == 0 {
                guard start < matches.count else {
                    throw InventoryError(.pattern, "No hosts matched the subscripted pattern '\(pattern)'")
                }
                return [matches[start]]
            }
            let last = end == -1 ? matches.count - 1 : end
            let lower = min(start, matches.count)
            let upper = min(max(last + 1, lower), matches.count)
            return Array(matches[lower..<upper])
        }
    }

    enum Subscript {
        case index(Int)
        case range(Int, Int)
    }

    /// `PATTERN_WITH_SUBSCRIPT`: `(.+)\[(?:(-?[0-9]+)|([0-9]+)([:-])([0-9]*))\]$`; not for `~regex`.
    static func splitSubscript(_ pattern: String) -> (String, Subscript?) {
        guard !pattern.hasPrefix("~"), pattern.hasSuffix("]"), let open = pattern.lastIndex(of: "["), open > pattern.startIndex else {
            return (pattern, nil)
        }
        let inside = pattern[pattern.index(after: open)..<pattern.index(before: pattern.endIndex)]
        let base = String(pattern[..<open])
        func digits(_ text: Substring) -> Bool { !text.isEmpty && text.allSatisfy { $0.isASCII && $0.isNumber } }
        if let index = Int(inside), digits(inside.hasPrefix("-") ? inside.dropFirst() : inside) {
            return (base, .index(index))
        }
        guard let separator = inside.firstIndex(where: { $0 == ":" || $0 == "-" }) else { return (pattern, nil) }
        let start = inside[..<separator]
        let end = inside[inside.index(after: separator)...]
        guard digits(start), end.isEmpty || digits(end), let startValue = Int(start) else { return (pattern, nil) }
        return (base, .range(startValue, end.isEmpty ? -1 : Int(end)!))
    }

    /// `_enumerate_matches`.
    private func enumerate(_ pattern: String) throws(InventoryError) -> [Int] {
        let matcher = try Self.nameMatcher(pattern)
        var results: [Int] = []
        var matchedGroup = false
        for id in groups.indices where matcher(groups[id].name) {
            matchedGroup = true
            results.append(contentsOf: hostsOf(group: id))
        }
        if !matchedGroup || pattern.hasPrefix("~") || pattern.contains(where: { ".?*[".contains($0) }) {
            for id in hosts.indices where matcher(hosts[id].name) { results.append(id) }
        }
        return results
    }

    /// `_match_list`: a glob matched whole (`fnmatch`), or a `~regex` matched at the start (`re.match`).
    static func nameMatcher(_ pattern: String) throws(InventoryError) -> (String) -> Bool {
        if pattern.hasPrefix("~") {
            let source = String(pattern.dropFirst())
            guard let regex = try? NSRegularExpression(pattern: source, options: []) else {
                throw InventoryError(.pattern, "Invalid host list pattern: \(pattern)")
            }
            return { name in
                regex.firstMatch(in: name, options: [.anchored], range: NSRange(name.startIndex..., in: name)) != nil
            }
        }
        let glob = Glob(pattern)
        if glob.isLiteral { return { $0 == pattern } }
        return { glob.matches($0) }
    }
}

/// Python's `fnmatch` (case-sensitive, as on POSIX): `*`, `?`, `[seq]`, `[!seq]`; an unclosed `[` is literal.
struct Glob {
    enum Token {
        case literal(Character)
        case any
        case star
        case set(negated: Bool, items: [(Character, Character)])
    }

    let tokens: [Token]
    let isLiteral: Bool

    init(_ pattern: String) {
        let characters = Array(pattern)
        var tokens: [Token] = []
        var i = 0
        var literal = true
        while i < characters.count {
            let c = characters[i]
            switch c {
            case "*":
                if case .star = tokens.last {} else { tokens.append(.star) }
                literal = false
                i += 1
            case "?":
                tokens.append(.any)
                literal = false
                i += 1
            case "[":
                var j = i + 1
                if j < characters.count && characters[j] == "!" { j += 1 }
                if j < characters.count && characters[j] == "]" { j += 1 }
                while j < characters.count && characters[j] != "]" { j += 1 }
                if j >= characters.count {
                    tokens.append(.literal("["))
                    i += 1
                } else {
                    var body = Array(characters[(i + 1)..<j])
                    var negated = false
                    if body.first == "!" {
                        negated = true
                        body.removeFirst()
                    }
                    var items: [(Character, Character)] = []
                    var k = 0
                    while k < body.count {
                        if k + 2 < body.count && body[k + 1] == "-" {
                            if body[k] <= body[k + 2] { items.append((body[k], body[k + 2])) }
                            k += 3
                        } else {
                            items.append((body[k], body[k]))
                            k += 1
                        }
                    }
                    tokens.append(.set(negated: negated, items: items))
                    literal = false
                    i = j + 1
                }
            default:
                tokens.append(.literal(c))
                i += 1
            }
        }
        self.tokens = tokens
        self.isLiteral = literal
    }

    func matches(_ name: String) -> Bool {
        let text = Array(name)
        var memo: [Int: Bool] = [:]
        func match(_ t: Int, _ s: Int) -> Bool {
            let key = t * (text.count + 1) + s
            if let known = memo[key] { return known }
            let result: Bool
            if t == tokens.count {
                result = s == text.count
            } else {
                switch tokens[t] {
                case .star:
                    result = (s...text.count).contains { match(t + 1, $0) }
                case .any:
                    result = s < text.count && match(t + 1, s + 1)
                case .literal(let c):
                    result = s < text.count && text[s] == c && match(t + 1, s + 1)
                case .set(let negated, let items):
                    guard s < text.count else {
                        result = false
                        break
                    }
                    let inSet = items.contains { text[s] >= $0.0 && text[s] <= $0.1 }
                    result = inSet != negated && match(t + 1, s + 1)
                }
            }
            memo[key] = result
            return result
        }
        return match(0, 0)
    }
}
