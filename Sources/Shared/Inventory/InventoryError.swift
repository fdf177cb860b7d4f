import Foundation

/// Why an inventory, a vars document or a host pattern was rejected: a stable code, a message naming the
/// problem and the group or host, and where the YAML puts it (1-based line and column) when known.
public struct InventoryError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// The text is not YAML (or JSON).
        case syntax = "invalid_yaml"
        /// The document is not an inventory: empty, not a mapping, or a plugin configuration.
        case structure = "invalid_structure"
        /// A group name that is not a non-empty string.
        case groupName = "invalid_group_name"
        /// A host key that is not a string, or host variables that are not a mapping.
        case host = "invalid_host"
        /// A `[begin:end:step]` range that cannot be expanded.
        case hostRange = "invalid_host_range"
        /// `vars`, `children` or `hosts` that is not a mapping.
        case section = "invalid_section"
        /// A group that is its own child or ancestor.
        case cycle = "group_cycle"
        /// A child that is neither a group definition nor a known group or host.
        case unknownChild = "unknown_child"
        /// A value Pansible cannot carry exactly (an integer beyond 64 bits, an unknown tag, a bad date).
        case value = "invalid_value"
        /// A host pattern (`limit`) that cannot be applied.
        case pattern = "invalid_pattern"
    }

    public var code: Code
    public var message: String
    /// The group the problem is in, when there is one.
    public var group: String?
    /// The host the problem is about, when there is one.
    public var host: String?
    /// 1-based, in the document that was parsed.
    public var line: Int?
    /// 1-based.
    public var column: Int?
    /// `hosts` or `vars`: which of the seed's documents the problem is in.
    public var document: String?

    public init(
        _ code: Code, _ message: String, group: String? = nil, host: String? = nil, line: Int? = nil, column: Int? = nil,
        document: String? = nil
    ) {
        self.code = code
        self.message = message
        self.group = group
        self.host = host
        self.line = line
        self.column = column
        self.document = document
    }

    public var description: String {
        var text = message
        if let line, let column {
            text += " (\(document.map { "\($0) " } ?? "")line \(line), column \(column))"
        } else if let document {
            text += " (\(document))"
        }
        return text
    }

    /// The same error, said to be in `document` (`hosts` or `vars`).
    func inDocument(_ document: String) -> InventoryError {
        var copy = self
        copy.document = document
        return copy
    }
}
