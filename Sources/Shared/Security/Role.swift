/// What an API token may do, each role including the ones before it.
public enum Role: String, Sendable, Codable, CaseIterable, Comparable {
    /// Reads and watches progress.
    case viewer
    /// A viewer that also creates and changes inventories, playbooks and apps, and launches, cancels,
    /// relaunches and deploys jobs.
    case `operator`
    /// Everything: credentials, tokens and the audit log as well.
    case admin

    public static func < (lhs: Role, rhs: Role) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
