/// A configuration value that is missing or wrong; its description is one line naming the key.
public struct ConfigurationError: Error, CustomStringConvertible, Sendable {
    public let key: String
    public let message: String

    public init(key: String, message: String) {
        self.key = key
        self.message = message
    }

    public var description: String {
        "configuration error: \(key) (env \(ConfigurationSource.environmentName(for: key))): \(message)"
    }
}
