import Foundation
import Shared

/// The handle through which a running shard is stopped: by a cancel for its job, a timeout or a forced
/// shutdown. The process is attached once it is spawned; a stop that comes earlier is remembered.
actor RunControl {
    enum StopReason: String, Sendable {
        case canceled
        case timedOut = "timed_out"
    }

    private var process: ChildProcess?
    private(set) var stopReason: StopReason?
    private let interruptGrace: Double
    private let terminateGrace: Double

    init(interruptGrace: Double, terminateGrace: Double) {
        self.interruptGrace = interruptGrace
        self.terminateGrace = terminateGrace
    }

    /// Attaches the spawned process; when a stop came first, stops it at once.
    func attach(_ process: ChildProcess) async {
        self.process = process
        if stopReason != nil {
            await process.stopGroup(interruptGrace: interruptGrace, terminateGrace: terminateGrace)
        }
    }

    func detach() {
        process = nil
    }

    /// Stops the run (first reason wins) and returns once its process group is gone.
    func stop(_ reason: StopReason) async {
        guard stopReason == nil else { return }
        stopReason = reason
        if let process {
            await process.stopGroup(interruptGrace: interruptGrace, terminateGrace: terminateGrace)
        }
    }
}
