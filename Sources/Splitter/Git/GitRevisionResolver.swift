import Foundation
import Shared

/// Resolves refs with `git ls-remote REPOSITORY REF` (no clone). A full 40-hex commit is taken as is. Among
/// the refs git lists, an exact match wins in this order: `refs/heads/REF`, the commit an annotated tag
/// `refs/tags/REF` points to, `refs/tags/REF`, then `REF` itself (`HEAD`, `refs/...`).
/// Its errors never show a password that the repository's URL holds (``URLRedaction``).
struct GitRevisionResolver: RevisionResolving {
    var git: String = "git"
    /// Seconds before git is stopped and the repository called unreachable.
    var timeout: Double = 60

    func resolve(repository: String, ref: String?) async throws(RevisionError) -> String {
        if let ref, ref.count == 40, ref.allSatisfy(\.isHexDigit) { return ref.lowercased() }
        let wanted = ref ?? "HEAD"
        let output: String
        do {
            // `REF^{}` lists the commit an annotated tag points to.
            output = try await run([git, "ls-remote", "--", repository, wanted, "\(wanted)^{}"])
        } catch let error as RevisionError {
            throw error
        } catch {
            throw RevisionError(code: .unreachable, message: URLRedaction.redact("cannot run git ls-remote for \(repository): \(error)"))
        }
        var refs: [String: String] = [:]
        for line in output.split(separator: "\n") {
            let fields = line.split(separator: "\t", maxSplits: 1)
            guard fields.count == 2 else { continue }
            refs[String(fields[1])] = String(fields[0])
        }
        for candidate in ["refs/heads/\(wanted)", "refs/tags/\(wanted)^{}", "refs/tags/\(wanted)", wanted] {
            if let commit = refs[candidate] { return commit }
        }
        throw RevisionError(code: .unknownRef, message: URLRedaction.redact("repository \(repository) has no branch, tag or ref '\(wanted)'"))
    }

    private func run(_ arguments: [String]) async throws -> String {
        var environment = ProcessInfo.processInfo.environment
        environment["GIT_TERMINAL_PROMPT"] = "0"
        environment["GIT_SSH_COMMAND"] = environment["GIT_SSH_COMMAND"] ?? "ssh -o BatchMode=yes -o ConnectTimeout=20"
        // Outside any repository: git must not pick up the one it happens to run in.
        let output = try await CommandRunner.run(
            git, Array(arguments.dropFirst()), environment: environment, directory: FileManager.default.temporaryDirectory.path,
            timeout: .milliseconds(Int64(timeout * 1000)))
        if output.timedOut {
            throw RevisionError(
                code: .unreachable, message: URLRedaction.redact("git ls-remote \(arguments[3]) gave no answer within \(Int(timeout)) s"))
        }
        guard output.status == .exited(0) else {
            let detail = output.text.trimmingCharacters(in: .whitespacesAndNewlines)
            throw RevisionError(
                code: .unreachable, message: URLRedaction.redact("git ls-remote \(arguments[3]) failed (exit \(output.status.code)): \(detail)"))
        }
        return output.text
    }
}
