import Foundation
import Yams

/// Flat view of `pansible.yml` overlaid with `PANSIBLE_*` environment variables.
///
/// Keys are dotted paths (`amqp.url`); the environment variable for a key is `PANSIBLE_` followed by the
/// key in upper case with dots as underscores (`PANSIBLE_AMQP_URL`, `PANSIBLE_PORT`). The environment wins.
public struct ConfigurationSource: Sendable {
    private var values: [String: String]
    private var secretKeys: Set<String> = []

    /// Reads the file (a missing file is allowed when `required` is false) and the environment.
    public init(path: String?, environment: [String: String] = ProcessInfo.processInfo.environment, required: Bool = false) throws {
        var values: [String: String] = [:]
        if let path {
            if let text = try? String(contentsOfFile: path, encoding: .utf8) {
                let node: Node?
                do {
                    node = try Yams.compose(yaml: text)
                } catch {
                    throw ConfigurationError(key: path, message: "not valid YAML: \(error)")
                }
                if let node {
                    guard case .mapping = node else {
                        throw ConfigurationError(key: path, message: "the file must be a YAML mapping")
                    }
                    try Self.flatten(node, prefix: "", into: &values)
                }
            } else if required {
                throw ConfigurationError(key: path, message: "configuration file not found")
            }
        }
        self.values = values
        for (name, value) in environment where name.hasPrefix("PANSIBLE_") {
            self.environmentValues[name] = value
        }
    }

    /// Values from the environment, by variable name; looked up when a key is read.
    private var environmentValues: [String: String] = [:]

    /// Builds a source from explicit values (tests).
    public init(values: [String: String]) {
        self.values = values
    }

    static func environmentName(for key: String) -> String {
        "PANSIBLE_" + key.uppercased().replacingOccurrences(of: ".", with: "_")
    }

    private static func flatten(_ node: Node, prefix: String, into values: inout [String: String]) throws {
        switch node {
        case .mapping(let mapping):
            for (key, value) in mapping {
                guard let name = key.string else {
                    throw ConfigurationError(key: prefix.isEmpty ? "<root>" : prefix, message: "keys must be strings")
                }
                try flatten(value, prefix: prefix.isEmpty ? name : "\(prefix).\(name)", into: &values)
            }
        case .scalar(let scalar):
            if scalar.tag.rawValue == Tag.Name.null.rawValue || (scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string))
            {
                return
            }
            values[prefix] = scalar.string
        case .sequence(let sequence):
            values[prefix] = sequence.compactMap(\.string).joined(separator: ",")
        case .alias:
            throw ConfigurationError(key: prefix, message: "aliases are not supported in the configuration file")
        }
    }

    /// The raw value for a key, or nil.
    public func raw(_ key: String) -> String? {
        environmentValues[Self.environmentName(for: key)] ?? values[key]
    }

    /// Every value below `prefix` (a mapping in the file), by the rest of its key, overlaid with the
    /// environment variables `PANSIBLE_<PREFIX>_<NAME>` (NAME kept as written): `worker.environment.FOO` and
    /// `PANSIBLE_WORKER_ENVIRONMENT_FOO` both give `FOO`.
    public func mapping(_ prefix: String) -> [String: String] {
        var result: [String: String] = [:]
        let keyPrefix = prefix + "."
        for (key, value) in values where key.hasPrefix(keyPrefix) {
            result[String(key.dropFirst(keyPrefix.count))] = value
        }
        let namePrefix = Self.environmentName(for: prefix) + "_"
        for (name, value) in environmentValues where name.hasPrefix(namePrefix) && name.count > namePrefix.count {
            result[String(name.dropFirst(namePrefix.count))] = value
        }
        return result
    }

    public func string(_ key: String, default defaultValue: String) -> String {
        raw(key) ?? defaultValue
    }

    public func string(_ key: String) -> String? {
        raw(key)
    }

    public func int(_ key: String, default defaultValue: Int, range: ClosedRange<Int> = Int.min...Int.max) throws -> Int {
        guard let text = raw(key) else { return defaultValue }
        guard let value = Int(text.trimmingCharacters(in: .whitespaces)) else {
            throw ConfigurationError(key: key, message: "expected an integer, got '\(text)'")
        }
        guard range.contains(value) else {
            throw ConfigurationError(key: key, message: "\(value) is out of range \(range.lowerBound)...\(range.upperBound)")
        }
        return value
    }

    public func double(_ key: String, default defaultValue: Double, minimum: Double = 0) throws -> Double {
        guard let text = raw(key) else { return defaultValue }
        guard let value = Double(text.trimmingCharacters(in: .whitespaces)), value >= minimum else {
            throw ConfigurationError(key: key, message: "expected a number >= \(minimum), got '\(text)'")
        }
        return value
    }

    public func bool(_ key: String, default defaultValue: Bool) throws -> Bool {
        guard let text = raw(key) else { return defaultValue }
        switch text.lowercased() {
        case "true", "yes", "on", "1": return true
        case "false", "no", "off", "0": return false
        default: throw ConfigurationError(key: key, message: "expected true or false, got '\(text)'")
        }
    }

    /// A byte size such as `10485760`, `10MiB`, `512KiB` or `1GiB`.
    public func byteSize(_ key: String, default defaultValue: Int) throws -> Int {
        guard let text = raw(key)?.trimmingCharacters(in: .whitespaces) else { return defaultValue }
        let units: [(String, Int)] = [
            ("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10), ("GB", 1_000_000_000), ("MB", 1_000_000), ("KB", 1000), ("B", 1),
        ]
        for (suffix, factor) in units where text.hasSuffix(suffix) {
            if let number = Int(text.dropLast(suffix.count).trimmingCharacters(in: .whitespaces)), number > 0 {
                return number * factor
            }
            throw ConfigurationError(key: key, message: "expected a size like 10MiB, got '\(text)'")
        }
        guard let number = Int(text), number > 0 else {
            throw ConfigurationError(key: key, message: "expected a size like 10MiB, got '\(text)'")
        }
        return number
    }

    /// A listen address: `5757`, `:5757` (all interfaces) or `HOST:PORT`.
    public func address(_ key: String, default defaultValue: ListenAddress) throws -> ListenAddress {
        guard let text = raw(key) else { return defaultValue }
        guard let address = ListenAddress(text) else {
            throw ConfigurationError(key: key, message: "expected PORT, :PORT or HOST:PORT, got '\(text)'")
        }
        return address
    }

    /// A URL with one of the given schemes.
    public func url(_ key: String, default defaultValue: String, schemes: Set<String>) throws -> URL {
        let text = raw(key) ?? defaultValue
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), schemes.contains(scheme), url.host != nil else {
            throw ConfigurationError(
                key: key, message: "expected a \(schemes.sorted().joined(separator: " or ")) URL, got '\(URLRedaction.redact(text))'")
        }
        return url
    }
}

/// Where a server listens.
public struct ListenAddress: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `5757`, `:5757` or `HOST:PORT` (`[::1]:5757` for IPv6).
    public init?(_ text: String) {
        let text = text.trimmingCharacters(in: .whitespaces)
        var host = "127.0.0.1"
        var portText = text
        if let colon = text.lastIndex(of: ":") {
            let hostPart = String(text[..<colon])
            portText = String(text[text.index(after: colon)...])
            if hostPart.isEmpty {
                host = "0.0.0.0"
            } else if hostPart.hasPrefix("[") && hostPart.hasSuffix("]") {
                host = String(hostPart.dropFirst().dropLast())
            } else {
                host = hostPart
            }
        }
        guard let port = Int(portText), (0...65535).contains(port) else { return nil }
        self.host = host
        self.port = port
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

extension ListenAddress {
    /// `scheme://host:port` when the address names a host (not every interface, which names no host a client can
    /// use); nil otherwise.
    public func url(scheme: String) -> String? {
        guard !host.isEmpty, !["0.0.0.0", "::", "[::]", "*"].contains(host) else { return nil }
        return "\(scheme)://\(host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host):\(port)"
    }
}
