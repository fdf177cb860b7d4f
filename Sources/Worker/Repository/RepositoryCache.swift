import Foundation
import Logging
import Shared

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Bare clones of playbook repositories under `<work_dir>/repos`, one per repository URL, and clean
/// exports of a pinned commit into a run's directory.
///
/// A repository is cloned once and fetched only when the asked-for commit is missing. Every step on one
/// cache runs under an exclusive `flock` on `<cache>.lock` (polled, so the cooperative pool never blocks),
/// which serializes concurrent shards of the same repository in this process and in other workers sharing
/// the directory. A clone goes to a temporary directory and is renamed into place, so a worker killed
/// mid-clone leaves no half-made cache. Exports use a private index file, so they never touch the cache's
/// own index or HEAD.
///
/// Nothing here waits without end on a server: every git command is attached to the run's `RunControl`, so
/// the shard's timeout or its job's cancel stops it (process group and all) and the lock is let go, and a
/// run waiting for the lock gives up as soon as its run is stopped.
struct RepositoryCache: Sendable {
    let directory: String
    let git: String
    let environment: [String: String]
    let logger: Logger

    init(directory: String, environment: [String: String], logger: Logger, git: String = "git") {
        self.directory = directory
        self.environment = environment
        self.logger = logger
        self.git = git
    }

    /// Makes `commit` (or, when nil, `ref` or the default branch) of `repository` available and exports
    /// its tree into `destination` (created). Returns the commit exported.
    /// - Parameters:
    ///   - sshKeyPath: private key for ssh repositories, used through `GIT_SSH_COMMAND`.
    ///   - control: the run's control; once it is stopped, git is stopped and the lock is no longer waited for.
    func export(
        repository: String, commit: String?, ref: String?, into destination: String, sshKeyPath: String?, control: RunControl? = nil
    ) async throws -> String {
        if let commit, !Self.isCommitID(commit) {
            throw RepositoryError.badCommit(commit)
        }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let cache = "\(directory)/\(Self.cacheName(for: repository))"
        var environment = self.environment
        environment["GIT_TERMINAL_PROMPT"] = "0"
        if let sshKeyPath {
            environment["GIT_SSH_COMMAND"] =
                "ssh -i '\(sshKeyPath)' -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=accept-new"
        }
        let lock = try await FileLock.acquire(path: cache + ".lock", control: control)
        defer { lock.release() }

        if !FileManager.default.fileExists(atPath: cache + "/HEAD") {
            let temporary = "\(cache).clone-\(UUID().uuidString)"
            defer { try? FileManager.default.removeItem(atPath: temporary) }
            logger.info("cloning repository", metadata: ["repository": "\(URLRedaction.redact(repository))"])
            try await runGit(["clone", "--bare", "--quiet", repository, temporary], environment: environment, what: "clone", control: control)
            try? FileManager.default.removeItem(atPath: cache)
            try FileManager.default.moveItem(atPath: temporary, toPath: cache)
        }

        let wanted = commit ?? ref ?? "HEAD"
        var resolved = try await resolve(wanted, cache: cache, environment: environment, control: control)
        if resolved == nil || commit == nil {
            logger.info("fetching repository", metadata: ["repository": "\(URLRedaction.redact(repository))"])
            try await runGit(
                ["--git-dir", cache, "fetch", "--quiet", "--prune", "--force", "origin", "+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*"],
                environment: environment, what: "fetch", control: control)
            resolved = try await resolve(wanted, cache: cache, environment: environment, control: control)
            if resolved == nil, let commit {
                // Servers that allow it can hand out a commit no branch points at any more.
                _ = try? await runGit(
                    ["--git-dir", cache, "fetch", "--quiet", "origin", commit], environment: environment, what: "fetch", control: control)
                resolved = try await resolve(commit, cache: cache, environment: environment, control: control)
            }
        }
        guard let resolved else {
            throw RepositoryError.missingRevision(wanted)
        }

        try FileManager.default.createDirectory(atPath: destination, withIntermediateDirectories: true)
        var exportEnvironment = environment
        exportEnvironment["GIT_INDEX_FILE"] = "\(destination)/.git-index-pansible"
        defer { try? FileManager.default.removeItem(atPath: "\(destination)/.git-index-pansible") }
        try await runGit(
            ["--git-dir", cache, "--work-tree", destination, "checkout", "--force", "--quiet", resolved, "--", "."],
            environment: exportEnvironment, what: "checkout", control: control)
        return resolved
    }

    private func resolve(_ revision: String, cache: String, environment: [String: String], control: RunControl?) async throws -> String? {
        let output = try await CommandRunner.run(
            git, ["--git-dir", cache, "rev-parse", "--verify", "--quiet", "\(revision)^{commit}"], environment: environment, directory: directory,
            control: control)
        guard output.status == .exited(0) else { return nil }
        let text = output.text.trimmingCharacters(in: .whitespacesAndNewlines)
        return Self.isCommitID(text) ? text : nil
    }

    @discardableResult
    private func runGit(_ arguments: [String], environment: [String: String], what: String, control: RunControl?) async throws -> String {
        let output: CommandRunner.Output
        do {
            output = try await CommandRunner.run(git, arguments, environment: environment, directory: directory, control: control)
        } catch let error as ChildProcessError {
            throw RepositoryError.gitFailed(what, error.description)
        }
        guard output.status == .exited(0) else {
            let lines = output.text.split(separator: "\n").suffix(5).joined(separator: " / ")
            throw RepositoryError.gitFailed(what, URLRedaction.redact(lines.isEmpty ? "exit \(output.status.code)" : lines))
        }
        return output.text
    }

    static func isCommitID(_ text: String) -> Bool {
        (7...64).contains(text.count) && text.allSatisfy { $0.isHexDigit }
    }

    /// A stable directory name per repository URL.
    static func cacheName(for repository: String) -> String {
        // FNV-1a: stable across processes and releases (Swift's Hasher is seeded per process).
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in repository.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        let digest = String(hash, radix: 16)
        let tail = repository.split(whereSeparator: { $0 == "/" || $0 == ":" }).last.map(String.init) ?? "repo"
        let safe = tail.replacingOccurrences(of: ".git", with: "").filter { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
        return "\(safe.prefix(40))-\(digest).git"
    }
}

/// Why a repository could not be prepared.
enum RepositoryError: Error, CustomStringConvertible {
    case badCommit(String)
    case missingRevision(String)
    case gitFailed(String, String)
    /// The run was stopped while it waited for the repository's lock.
    case stopped(String)

    var description: String {
        switch self {
        case .badCommit(let commit): return "playbook.commit '\(commit)' is not a commit id"
        case .missingRevision(let revision): return "revision \(revision) not found in the playbook repository"
        case .gitFailed(let step, let output): return "git \(step) failed: \(output)"
        case .stopped(let reason): return "stopped (\(reason)) while waiting for the repository"
        }
    }
}

/// An exclusive `flock` on a file, acquired by polling so no thread blocks.
struct FileLock: Sendable {
    let descriptor: Int32

    /// Waits for the lock until it is free, the calling task is cancelled (throws `CancellationError`) or
    /// `control` is stopped (throws `RepositoryError.stopped`).
    static func acquire(path: String, control: RunControl? = nil) async throws -> FileLock {
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw RepositoryError.gitFailed("lock", "cannot open \(path): \(String(cString: strerror(errno)))") }
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else {
                close(descriptor)
                throw RepositoryError.gitFailed("lock", "cannot lock \(path): \(String(cString: strerror(errno)))")
            }
            do {
                if let reason = await control?.stopReason { throw RepositoryError.stopped(reason.rawValue) }
                try await Task.sleep(for: .milliseconds(25))
            } catch {
                close(descriptor)
                throw error
            }
        }
        return FileLock(descriptor: descriptor)
    }

    func release() {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
