import Foundation
import Yams

/// Reads an inventory document the way Ansible's loader does: JSON when the text is JSON, otherwise YAML 1.1
/// through PyYAML's SafeLoader rules (see ``YAML11Scalar``), with merge keys (`<<`), anchors and aliases, and
/// Ansible's `!unsafe` tag.
///
/// Deliberate difference: a mapping with the same key twice is an error here (Ansible warns and keeps the
/// last value), because a silently dropped host or variable is what inventories must not do.
struct AnsibleYAML {
    /// A plain scalar without an explicit tag; lets the reader resolve it with YAML 1.1 (or JSON) rules itself.
    static let plainTag = Tag.Name(rawValue: "tag:pansible,2026:plain")
    private static let resolver = Resolver.basic.appending(try! Resolver.Rule(plainTag, "^"))

    let isJSON: Bool

    /// Parses `text`; nil for an empty document.
    static func compose(_ text: String) throws(InventoryError) -> (node: Node?, reader: AnsibleYAML) {
        let isJSON = Self.isJSON(text)
        do {
            let node = try Yams.compose(yaml: text, resolver)
            return (node, AnsibleYAML(isJSON: isJSON))
        } catch let error as YamlError {
            if let realigned = realignedFirstLine(text), let node = try? Yams.compose(yaml: realigned, resolver) {
                return (node, AnsibleYAML(isJSON: false))
            }
            throw Self.describe(error)
        } catch {
            throw InventoryError(.syntax, "YAML parsing failed: \(error)")
        }
    }

    /// The seed's documented upload writes each document as a JSON string whose first line follows the opening
    /// quote while the next lines keep the indentation they had in the request body (`"vars": "all:\n
    /// allkey1: ...\n           webservers: ..."`). Such text is not valid YAML (Ansible rejects it too); read
    /// as intended, its first line sits at the indentation of the least indented line after it. Only tried
    /// when the text as given does not parse, so it never changes the meaning of valid YAML.
    static func realignedFirstLine(_ text: String) -> String? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count > 1, let first = lines.first, first.first.map({ $0 != " " && $0 != "\t" }) ?? false else { return nil }
        let indents = lines.dropFirst().filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.map { $0.prefix { $0 == " " }.count }
        guard let indent = indents.min(), indent > 0 else { return nil }
        return String(repeating: " ", count: indent) + text
    }

    /// Whether Python's `json.loads` (which Ansible tries first) accepts the text: strict JSON plus the bare
    /// `NaN`, `Infinity` and `-Infinity` Python also reads.
    static func isJSON(_ text: String) -> Bool {
        guard let first = text.utf8.first(where: { ![32, 9, 10, 13].contains($0) }), first == UInt8(ascii: "{") || first == UInt8(ascii: "[")
        else { return false }
        var bytes = Array(text.utf8)
        var inString = false
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if inString {
                if byte == UInt8(ascii: "\\") {
                    index += 2
                    continue
                }
                if byte == UInt8(ascii: "\"") { inString = false }
            } else if byte == UInt8(ascii: "\"") {
                inString = true
            } else {
                for word in ["NaN", "Infinity"] {
                    let utf8 = Array(word.utf8)
                    if index + utf8.count <= bytes.count, Array(bytes[index..<(index + utf8.count)]) == utf8 {
                        for offset in 0..<utf8.count { bytes[index + offset] = offset == 0 ? UInt8(ascii: "0") : 32 }
                    }
                }
            }
            index += 1
        }
        return (try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])) != nil
    }

    private static func describe(_ error: YamlError) -> InventoryError {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let prefix = context.map { "\($0.text); " } ?? ""
            return InventoryError(.syntax, "YAML parsing failed: \(prefix)\(problem)", line: mark.line, column: mark.column)
        case .duplicatedKeysInMapping(let duplicates, let context):
            return InventoryError(
                .syntax, "duplicate mapping key \(duplicates.map { "'\($0)'" }.joined(separator: ", "))",
                line: context.mark.line, column: context.mark.column)
        default:
            return InventoryError(.syntax, "YAML parsing failed: \(error)")
        }
    }

    static func error(_ code: InventoryError.Code, _ message: String, at node: Node?, group: String? = nil, host: String? = nil)
        -> InventoryError
    {
        InventoryError(code, message, group: group, host: host, line: node?.mark?.line, column: node?.mark?.column)
    }

    // MARK: - Scalars

    /// The value of a scalar as Ansible constructs it.
    func scalar(_ node: Node, _ scalar: Node.Scalar) throws(InventoryError) -> JSONValue {
        let text = scalar.string
        switch Tag.Name(rawValue: node.tag.description) {
        case Self.plainTag:
            return isJSON ? try jsonPlain(text, node) : try yamlPlain(text, node)
        case .str, Tag.Name(rawValue: "!"):
            return .string(text)
        case .int:
            guard let value = YAML11Scalar.intValue(text), let int = value else {
                throw Self.error(.value, "'\(text)' is not a 64-bit integer", at: node)
            }
            return .int(int)
        case .float:
            guard let value = YAML11Scalar.floatValue(text) else { throw Self.error(.value, "'\(text)' is not a float", at: node) }
            return .double(value)
        case .bool:
            guard let value = YAML11Scalar.boolValue(text) else { throw Self.error(.value, "'\(text)' is not a boolean", at: node) }
            return .bool(value)
        case .null:
            return .null
        case .timestamp:
            guard let stamp = YAML11Scalar.parseTimestamp(Array(text.utf8)), let iso = YAML11Scalar.isoformat(stamp) else {
                throw Self.error(.value, "'\(text)' is not a valid timestamp", at: node)
            }
            return .string(iso)
        case Tag.Name(rawValue: "!unsafe"):
            return .object(["__ansible_unsafe": .string(text)])
        default:
            throw Self.error(.value, "could not determine a constructor for the tag '\(node.tag.description)'", at: node)
        }
    }

    private func yamlPlain(_ text: String, _ node: Node) throws(InventoryError) -> JSONValue {
        switch YAML11Scalar.kind(of: text) {
        case .null: return .null
        case .bool: return .bool(YAML11Scalar.boolValue(text)!)
        case .string: return .string(text)
        case .int:
            guard let value = YAML11Scalar.intValue(text), let int = value else {
                throw Self.error(.value, "integer '\(text)' does not fit 64 bits", at: node)
            }
            return .int(int)
        case .float:
            guard let value = YAML11Scalar.floatValue(text) else { throw Self.error(.value, "'\(text)' is not a float", at: node) }
            return .double(value)
        case .timestamp:
            guard let stamp = YAML11Scalar.parseTimestamp(Array(text.utf8)), let iso = YAML11Scalar.isoformat(stamp) else {
                throw Self.error(.value, "'\(text)' is not a valid date", at: node)
            }
            return .string(iso)
        case .merge:
            throw Self.error(.value, "could not determine a constructor for the tag 'tag:yaml.org,2002:merge'", at: node)
        case .value:
            throw Self.error(.value, "could not determine a constructor for the tag 'tag:yaml.org,2002:value'", at: node)
        }
    }

    /// JSON numbers, `true`, `false`, `null` (Python's `json` module, which Ansible tries first).
    private func jsonPlain(_ text: String, _ node: Node) throws(InventoryError) -> JSONValue {
        switch text {
        case "true": return .bool(true)
        case "false": return .bool(false)
        case "null": return .null
        case "NaN": return .double(.nan)
        case "Infinity": return .double(.infinity)
        case "-Infinity": return .double(-.infinity)
        default: break
        }
        if text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) {
            if let value = Double(text) { return .double(value) }
        } else if let value = Int64(text) {
            return .int(value)
        }
        throw Self.error(.value, "'\(text)' is not a JSON value Pansible can carry", at: node)
    }

    // MARK: - Collections

    /// The key/value pairs of a mapping with merge keys (`<<`) applied as PyYAML does: merged pairs first,
    /// the mapping's own keys win, earlier merge sources win over later ones.
    func pairs(_ mapping: Node.Mapping) throws(InventoryError) -> [(key: Node, value: Node)] {
        var merged: [(key: Node, value: Node)] = []
        var own: [(key: Node, value: Node)] = []
        for (key, value) in mapping {
            if !isJSON, case .scalar(let scalar) = key, key.tag.description == Self.plainTag.rawValue, scalar.string == "<<" {
                switch value {
                case .mapping(let source):
                    merged.append(contentsOf: try pairs(source))
                case .sequence(let sequence):
                    var sources: [[(key: Node, value: Node)]] = []
                    for item in sequence {
                        guard case .mapping(let source) = item else {
                            throw Self.error(.value, "expected a mapping for merging, but found \(describe(item))", at: item)
                        }
                        sources.append(try pairs(source))
                    }
                    for source in sources.reversed() { merged.append(contentsOf: source) }
                default:
                    throw Self.error(.value, "expected a mapping or list of mappings for merging, but found \(describe(value))", at: value)
                }
            } else {
                own.append((key, value))
            }
        }
        if merged.isEmpty { return own }
        // Later pairs overwrite earlier ones but keep the earlier position, like a Python dict.
        var position: [Node: Int] = [:]
        var result: [(key: Node, value: Node)] = []
        for pair in merged + own {
            if let index = position[pair.key] {
                result[index].value = pair.value
            } else {
                position[pair.key] = result.count
                result.append(pair)
            }
        }
        return result
    }

    /// A mapping key as a string, or nil when it is not a string scalar.
    func stringKey(_ node: Node) throws(InventoryError) -> String? {
        guard case .scalar(let scalar) = node else { return nil }
        if case .string(let text) = try self.scalar(node, scalar) { return text }
        return nil
    }

    /// A variable's value.
    func value(_ node: Node) throws(InventoryError) -> JSONValue {
        switch node {
        case .scalar(let scalar):
            return try self.scalar(node, scalar)
        case .sequence(let sequence):
            var items: [JSONValue] = []
            items.reserveCapacity(sequence.count)
            for item in sequence { items.append(try value(item)) }
            return .array(items)
        case .mapping(let mapping):
            return .object(try object(mapping))
        case .alias:
            throw Self.error(.value, "unresolved alias", at: node)
        }
    }

    func object(_ mapping: Node.Mapping) throws(InventoryError) -> [String: JSONValue] {
        var object: [String: JSONValue] = [:]
        for (key, value) in try pairs(mapping) {
            object[try keyText(key)] = try self.value(value)
        }
        return object
    }

    /// How a scalar key prints in Ansible's JSON: strings as they are, numbers, `true`, `false`, `null`.
    func keyText(_ node: Node) throws(InventoryError) -> String {
        guard case .scalar(let scalar) = node else {
            throw Self.error(.value, "a \(describe(node)) cannot be a mapping key", at: node)
        }
        switch try self.scalar(node, scalar) {
        case .string(let text): return text
        case .int(let value): return String(value)
        case .double(let value): return PythonJSON.floatRepr(value)
        case .bool(let value): return value ? "true" : "false"
        case .null: return "null"
        case .array, .object: throw Self.error(.value, "a tagged value cannot be a mapping key", at: node)
        }
    }

    func describe(_ node: Node) -> String {
        switch node {
        case .scalar: return "scalar"
        case .mapping: return "mapping"
        case .sequence: return "list"
        case .alias: return "alias"
        }
    }

    /// Python's type name for a value, as Ansible's messages say it.
    func typeName(_ node: Node) -> String {
        switch node {
        case .mapping: return "dict"
        case .sequence: return "list"
        case .alias: return "alias"
        case .scalar(let scalar):
            switch (try? self.scalar(node, scalar)) ?? .string("") {
            case .string: return "str"
            case .int: return "int"
            case .double: return "float"
            case .bool: return "bool"
            case .null: return "NoneType"
            case .array: return "list"
            case .object: return "dict"
            }
        }
    }
}
