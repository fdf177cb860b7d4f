import Foundation

/// Rules for playbook fields (pure).
enum PlaybookValidation {
    /// Why `entry` is refused, or nil: a relative path inside the repository, without `..`.
    static func problem(entry: String) -> String? {
        if entry.hasPrefix("/") || entry.hasPrefix("~") || entry.hasPrefix("\\") { return "must be a path relative to the repository, not absolute" }
        if entry.contains("\0") || entry.contains("\n") { return "must not contain control characters" }
        let components = entry.split(whereSeparator: { $0 == "/" || $0 == "\\" })
        if components.contains("..") { return "must not contain '..'" }
        if components.isEmpty || entry.hasSuffix("/") { return "must name a playbook file" }
        return nil
    }

    /// Why `git_repo` is refused, or nil: ssh (`ssh://`, `user@host:path`, `user@host`), `https://`, `http://`, `git://`,
    /// `file://` or an absolute local path.
    static func problem(gitRepo: String) -> String? {
        if gitRepo.contains(where: { $0.isWhitespace || $0 == "\0" }) { return "must not contain spaces or control characters" }
        if gitRepo.hasPrefix("-") { return "must not start with '-'" }
        let lower = gitRepo.lowercased()
        for scheme in ["ssh://", "https://", "http://", "git://", "file://"] where lower.hasPrefix(scheme) {
            return gitRepo.count > scheme.count ? nil : "the URL has no host or path"
        }
        if lower.contains("::") { return "git transport helpers (name::address) are not allowed" }
        if gitRepo.hasPrefix("/") { return nil }
        // ssh as user@host (the seed's `git@some_repo.git`)
        if let at = gitRepo.firstIndex(of: "@"), at != gitRepo.startIndex, gitRepo.index(after: at) != gitRepo.endIndex,
            !gitRepo[..<at].contains("/"), !gitRepo.contains(":")
        {
            return nil
        }
        // scp-like ssh: [user@]host:path
        if let colon = gitRepo.firstIndex(of: ":"), colon != gitRepo.startIndex, gitRepo.index(after: colon) != gitRepo.endIndex,
            !gitRepo[..<colon].contains("/")
        {
            return nil
        }
        return "expected an ssh, https, git or file:// URL, user@host:path, user@host, or an absolute local path"
    }

    static func problem(ref: String) -> String? {
        if ref.hasPrefix("-") || ref.contains(where: { $0.isWhitespace || $0 == "\0" }) || ref.contains("..") {
            return "not a valid branch, tag or commit name"
        }
        return nil
    }
}
