/// One dependency `/readyz` asks about (the broker, the database).
public protocol ReadinessCheck: Sendable {
    var name: String { get }
    /// True when the dependency answers now.
    func isReady() async -> Bool
}

/// A readiness check from a closure.
public struct ClosureReadinessCheck: ReadinessCheck {
    public let name: String
    let check: @Sendable () async -> Bool

    public init(name: String, _ check: @escaping @Sendable () async -> Bool) {
        self.name = name
        self.check = check
    }

    public func isReady() async -> Bool { await check() }
}
