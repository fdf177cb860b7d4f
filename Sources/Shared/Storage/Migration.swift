/// One numbered schema change. Applied once, in order, inside the migrator's transaction.
public struct Migration: Sendable {
    public var version: Int
    public var name: String
    /// Statements run one by one (the extended protocol takes one statement per query).
    public var statements: [String]

    public init(version: Int, name: String, statements: [String]) {
        self.version = version
        self.name = name
        self.statements = statements
    }

    /// Every migration of the project, in order.
    public static let all: [Migration] = [
        .initialSchema, .gatewayIndexes, .jobDeadlines, .jobRelaunches, .access, .schedules, .webhooks, .collectorState, .deadLetters,
    ]
}
