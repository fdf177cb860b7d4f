/// Pins a playbook's revision: a branch, tag or ref of a repository → the commit every shard runs.
protocol RevisionResolving: Sendable {
    /// - Parameters:
    ///   - repository: ssh or https URL, `file://` URL or local path.
    ///   - ref: Branch, tag, full ref name or 40-hex commit; nil for the repository's HEAD.
    /// - Returns: The 40-hex commit.
    func resolve(repository: String, ref: String?) async throws(RevisionError) -> String
}

/// Why a revision could not be pinned.
struct RevisionError: Error, Equatable, CustomStringConvertible {
    enum Code: String {
        /// git could not reach or read the repository.
        case unreachable
        /// The repository has no such branch, tag or ref.
        case unknownRef = "unknown_ref"
    }

    var code: Code
    var message: String

    var description: String { message }
}
