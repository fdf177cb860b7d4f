import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension ChildProcess {
    /// Stops the whole process group: SIGINT (Ansible ends its run cleanly), then SIGTERM after
    /// `interruptGrace` seconds, then SIGKILL after `terminateGrace` more, returning once the group is gone.
    public func stopGroup(interruptGrace: Double, terminateGrace: Double) async {
        for (signal, grace) in [(SIGINT, interruptGrace), (SIGTERM, terminateGrace)] {
            guard signalGroup(signal) else { return }
            if await waitForGroupExit(seconds: grace) { return }
        }
        signalGroup(SIGKILL)
        _ = await waitForGroupExit(seconds: 5)
    }

    /// Polls until no process of the group is left, for at most `seconds`. Returns whether it is gone.
    public func waitForGroupExit(seconds: Double) async -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while groupIsAlive {
            if ContinuousClock.now >= deadline { return false }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return true
    }
}
