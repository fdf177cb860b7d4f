import Foundation
import Logging

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Which worker owns a run directory, and the sweep of the directories no live worker owns.
///
/// A run's owner opens and `flock`s `<run id>.lock` next to the directory before it makes the directory, and
/// holds the lock until it has removed both. The kernel drops the lock when its process dies, however it
/// dies, so a run directory whose lock is free (or whose lock file is gone) belongs to no live worker: its
/// worker crashed or was killed, and the directory, with the job's SSH key and vault password in
/// `private/`, is only waiting to be removed. Workers sharing one work directory never remove each other's
/// live runs.
extension RunDirectory {
    static let lockSuffix = ".lock"

    /// Opens, creates if needed and locks the ownership lock at `path`; returns its descriptor (close-on-exec).
    ///
    /// A sweeping worker may remove a lock file that has no run directory yet between our `open` and our
    /// `flock`: the lock is taken again until the locked file is the one at `path`.
    static func lockOwnership(path: String) throws -> Int32 {
        for _ in 0..<100 {
            let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
            guard descriptor >= 0 else { throw RunPreparationError.runLock("cannot open \(path): \(String(cString: strerror(errno)))") }
            // A sweeper holds a free lock for a moment only: waiting for it does not block for long.
            while flock(descriptor, LOCK_EX) != 0 {
                guard errno == EINTR else {
                    let reason = String(cString: strerror(errno))
                    close(descriptor)
                    throw RunPreparationError.runLock("cannot lock \(path): \(reason)")
                }
            }
            var locked = stat()
            var named = stat()
            if fstat(descriptor, &locked) == 0, stat(path, &named) == 0, locked.st_ino == named.st_ino, locked.st_dev == named.st_dev {
                return descriptor
            }
            close(descriptor)
        }
        throw RunPreparationError.runLock("\(path) keeps being removed")
    }

    /// Removes every run directory under `<work_dir>/runs` that no live worker owns, and lock files left
    /// without a directory. Returns the paths of the run directories removed.
    @discardableResult
    static func removeStale(workDirectory: String, logger: Logger) -> [String] {
        let runs = runsDirectory(workDirectory: workDirectory)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: runs) else { return [] }
        var removed: [String] = []
        for name in names.sorted() {
            let path = "\(runs)/\(name)"
            if name.hasSuffix(lockSuffix) {
                // A lock file without its directory: its run ended or never made the directory.
                if !FileManager.default.fileExists(atPath: String(path.dropLast(lockSuffix.count))) { removeFreeLock(path) }
                continue
            }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else { continue }
            let lockPath = path + lockSuffix
            let descriptor = open(lockPath, O_RDWR | O_CLOEXEC)
            if descriptor < 0 {
                // The owner locks before it makes the directory: no lock file, no owner.
                guard errno == ENOENT else { continue }
            } else if flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
                close(descriptor)
                continue
            }
            RunDirectory(path: path).remove()
            if descriptor >= 0 {
                unlink(lockPath)
                close(descriptor)
            }
            removed.append(path)
            logger.notice("stale run directory removed", metadata: ["run.directory": "\(path)"])
        }
        return removed
    }

    private static func removeFreeLock(_ path: String) {
        let descriptor = open(path, O_RDWR | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        if flock(descriptor, LOCK_EX | LOCK_NB) == 0 { unlink(path) }
        close(descriptor)
    }
}
