import Foundation
import Logging
import Shared

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs one shard: checks out the pinned commit, writes the inventory and credential, runs
/// `ansible-playbook` with the callback plugin, isolated as `worker.isolation` says and in a session and process
/// group of its own, and streams every event to the broker (the credential's secrets masked); the last event of a
/// run is `shard_finished`, `shard_error` or `shard_canceled`.
///
/// Counters are the run's own sequence: `shard_started` is 1, the plugin's events follow in the order it
/// wrote them, and the closing events continue it. Pipeline event ids derive from the run id
/// (`shard/<index>/run/<run id>/started`, …), the plugin's events keep their uuids.
struct ShardRunner: Sendable {
    let configuration: WorkerConfiguration
    let sealer: CredentialSealer?
    let repositories: RepositoryCache
    let publisher: any MessagePublishing
    let mitogen: MitogenSupport
    let pluginDirectory: String
    /// How `ansible-playbook` is isolated (`worker.isolation`).
    let isolation: RunIsolation
    let registry: CancellationRegistry
    let baseEnvironment: [String: String]
    let logger: Logger
    /// Where runs claim their shard and record it done (see `admit`); nil runs every delivery.
    var ledger: Ledger? = nil
    /// The shards running in this worker, so that a redelivery waits for its run in progress; nil: none kept.
    var localRuns: LocalRuns? = nil
    /// The workers heard from (their heartbeats): a delivery whose earlier attempt another live worker still
    /// runs waits for that run instead of running beside it. Nil: no such wait.
    var liveWorkers: PoolCapacity? = nil

    /// What became of a run.
    struct Outcome: Sendable, Equatable {
        /// `shard_finished`, `shard_error` or `shard_canceled`.
        var finalEvent: String
        var exitCode: Int32?
        /// Every event was confirmed by the broker: the shard may be acknowledged.
        var delivered: Bool
        var runID: UUID
        var eventCount: Int
    }

    /// Runs the shard (or reports it cancelled when its job is), returning once every event is confirmed.
    func run(_ shard: ShardMessage, attempt: Int) async -> Outcome {
        let runID = UUID()
        return await exclusively(shard, attempt: attempt) {
            if let settled = await admit(shard, attempt: attempt, runID: runID) { return settled }
            return await recordDone(shard, await runAdmitted(shard, attempt: attempt, runID: runID))
        }
    }

    private func runAdmitted(_ shard: ShardMessage, attempt: Int, runID: UUID) async -> Outcome {
        var logger = self.logger
        logger[metadataKey: "job.uuid"] = "\(shard.jobUUID.uuidString.lowercased())"
        logger[metadataKey: "shard.index"] = "\(shard.index)"
        logger[metadataKey: "run.id"] = "\(runID.uuidString.lowercased())"
        logger[metadataKey: "run.attempt"] = "\(attempt)"

        let sink = RunEventSink(
            publisher: publisher, jobUUID: shard.jobUUID, shardIndex: shard.index, runID: runID, attempt: attempt,
            workerID: configuration.workerID, batchSize: configuration.batchSize,
            batchInterval: .milliseconds(configuration.batchIntervalMilliseconds), logger: logger)
        await sink.start()
        var events = RunEvents(shard: shard, runID: runID, attempt: attempt, workerID: configuration.workerID)
        let startedAt = Date()
        await sink.append([events.pipeline(PipelineEventType.shardStarted, suffix: "started", data: events.runData())])

        let control = RunControl(interruptGrace: configuration.cancelGrace, terminateGrace: configuration.killGrace)
        guard await registry.register(job: shard.jobUUID, control: control) else {
            logger.info("shard of a cancelled job acknowledged without running")
            let data = events.runData(["reason": .string("the job was cancelled before this shard started")])
            await sink.append([events.pipeline(PipelineEventType.shardCanceled, suffix: "canceled", data: data)])
            return await finish(sink: sink, events: events, final: PipelineEventType.shardCanceled, exitCode: nil, directory: nil, runID: runID)
        }

        var directory: RunDirectory?
        let result: (final: String, exitCode: Int32?)
        do {
            let run = try RunDirectory.create(workDirectory: configuration.workDirectory, runID: runID)
            directory = run
            result = try await execute(shard, in: run, control: control, sink: sink, events: &events, startedAt: startedAt, logger: logger)
        } catch {
            // Stopped before Ansible started (git or the repository's lock outlived the timeout, or the job
            // was cancelled meanwhile): the stop is what happened, the failure it caused is only its trace.
            let stopReason = await control.stopReason
            let reason: String
            switch stopReason {
            case .canceled: reason = "the job was cancelled"
            case .timedOut: reason = "timed out after \(timeout(for: shard)) s"
            case nil: reason = String(describing: error)
            }
            if stopReason == nil {
                logger.error("shard could not run", metadata: ["reason": "\(reason)"])
            } else {
                logger.notice("shard stopped before ansible-playbook started", metadata: ["reason": "\(reason)", "error": "\(error)"])
            }
            let data = events.runData([
                "reason": .string(reason), "duration": .double(Date().timeIntervalSince(startedAt)),
            ])
            let final = stopReason == .canceled ? PipelineEventType.shardCanceled : PipelineEventType.shardError
            await sink.append([events.pipeline(final, suffix: final == PipelineEventType.shardCanceled ? "canceled" : "error", data: data)])
            result = (final, nil)
        }
        await registry.unregister(job: shard.jobUUID, control: control)
        return await finish(sink: sink, events: events, final: result.final, exitCode: result.exitCode, directory: directory, runID: runID)
    }

    /// Seconds the shard may run, checkout included: the job's `timeout`, else `worker.timeout`.
    func timeout(for shard: ShardMessage) -> Int {
        shard.options.timeout.flatMap { $0 > 0 ? $0 : nil } ?? configuration.timeout
    }

    private func finish(
        sink: RunEventSink, events: RunEvents, final: String, exitCode: Int32?, directory: RunDirectory?, runID: UUID
    ) async -> Outcome {
        directory?.removeSecrets()
        let delivered = await sink.closeAndWait()
        directory?.remove()
        return Outcome(finalEvent: final, exitCode: exitCode, delivered: delivered, runID: runID, eventCount: events.counter)
    }

    /// Prepares and runs `ansible-playbook`; returns the closing event's type and the exit code, having
    /// appended every event including the closing one. Throws when the run cannot start.
    private func execute(
        _ shard: ShardMessage, in directory: RunDirectory, control: RunControl, sink: RunEventSink, events: inout RunEvents,
        startedAt: Date, logger: Logger
    ) async throws -> (final: String, exitCode: Int32?) {
        // The timeout covers the checkout too: a git server that stalls stops the run like a playbook that does.
        let timeout = timeout(for: shard)
        let timer = Task {
            try await Task.sleep(for: .seconds(timeout))
            logger.warning("shard timed out, stopping it", metadata: ["timeout": "\(timeout)"])
            await control.stop(.timedOut)
        }
        defer { timer.cancel() }

        var timings = RunTimings(start: startedAt, splitAt: shard.splitAt)
        var secret: CredentialSecret?
        if let credential = shard.credential {
            guard let sealer else { throw RunPreparationError.noSecretKey }
            do {
                secret = try sealer.open(credential)
            } catch {
                throw RunPreparationError.credential(String(describing: error))
            }
            if let key = secret?.sshPrivateKey { try directory.writeSecret(key, to: directory.sshKey) }
            if let password = secret?.vaultPassword { try directory.writeSecret(password, to: directory.vaultPassword) }
        }
        guard AnsibleInvocation.isSafeEntry(shard.playbook.entry) else { throw RunPreparationError.badEntry(shard.playbook.entry) }
        let commit = try await repositories.export(
            repository: shard.playbook.gitRepo, commit: shard.playbook.commit, ref: shard.playbook.ref, into: directory.project,
            sshKeyPath: secret?.sshPrivateKey != nil ? directory.sshKey : nil, control: control)
        timings.mark(.checkout)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: "\(directory.project)/\(shard.playbook.entry)", isDirectory: &isDirectory),
            !isDirectory.boolValue
        else { throw RunPreparationError.badEntry(shard.playbook.entry) }
        try directory.writeInventory(shard.inventory, groupVars: shard.groupVars)
        if let extraVars = shard.options.extraVars { try directory.writeExtraVars(extraVars) }
        timings.mark(.inventory)

        let wantsMitogen = configuration.mitogen != .off && shard.options.mitogen != false && isolation.appliesMitogen
        let strategies = wantsMitogen ? await mitogen.strategyDirectory() : nil
        let workerEnvironment = baseEnvironment.filter { !$0.key.hasPrefix("PANSIBLE_") }
        let invocation = AnsibleInvocation(
            shard: shard, directory: directory, configuration: configuration, pluginDirectory: pluginDirectory,
            baseEnvironment: isolation.passesWorkerEnvironment ? workerEnvironment : [:], secret: secret, mitogenStrategies: strategies)
        var ansiblePlaybook = configuration.ansiblePlaybook
        if isolation.passesWorkerEnvironment {
            // Found as the worker sees it (a sandbox sees the same files): a missing one is reported as such.
            guard let found = ChildProcess.locate(ansiblePlaybook, path: invocation.environment["PATH"] ?? "") else {
                throw RunnerError.cannotStartAnsible(ChildProcessError.notFound(ansiblePlaybook).description)
            }
            ansiblePlaybook = found
        }
        let command = isolation.command(
            ansiblePlaybook: ansiblePlaybook, invocation: invocation, directory: directory, pluginDirectory: pluginDirectory,
            readOnly: [pluginDirectory] + (strategies.map { [$0] } ?? []), workerEnvironment: workerEnvironment)
        if let text = command.environmentFile { try directory.writeSecret(text, to: directory.containerEnvironment) }
        let process: ChildProcess
        do {
            // A session of its own: the run has no controlling terminal, and its process group is stopped as one.
            process = try await ChildProcess.spawn(
                executable: command.executable, arguments: command.arguments, environment: command.environment, directory: directory.project,
                outputPath: directory.output, ownSession: true)
        } catch let error as ChildProcessError {
            throw RunnerError.cannotStartAnsible(error.description)
        }
        logger.info("ansible-playbook started", metadata: ["pid": "\(process.pid)", "commit": "\(commit)", "mitogen": "\(strategies != nil)"])
        await control.attach(process)

        var stats: JSONValue?
        // The strategies the plays really ran with (a play's `strategy:` keyword beats the worker's choice).
        var playStrategies: [String] = []
        var lastEventAt: Date?
        let tail = try EventTail(eventsPath: directory.events, outputPath: directory.output, mask: SecretMask(secret))
        try await withTaskCancellationHandler {
            while true {
                let exited = process.hasExited
                if await sink.backlog >= configuration.bufferEvents {
                    // The broker is behind: leave the rest in the events file until it catches up.
                    try await Task.sleep(for: .milliseconds(50))
                    continue
                }
                let batch = try tail.poll()
                if batch.isEmpty {
                    if exited { break }
                    try await Task.sleep(for: .milliseconds(20))
                    continue
                }
                timings.mark(.ansibleStart)
                lastEventAt = Date()
                var numbered: [PansibleEvent] = []
                numbered.reserveCapacity(batch.count)
                for var event in batch {
                    event.counter = events.nextCounter()
                    if event.type == "playbook_on_stats" { stats = event.data?["stats"] }
                    if event.type == "playbook_on_start", case .object(var data) = event.data {
                        // The process group as the worker sees it: Ansible's own pid means nothing outside a sandbox.
                        data["pid"] = .int(Int64(process.pid))
                        event.data = .object(data)
                    }
                    if event.type == "playbook_on_play_start", let strategy = event.data?["strategy"]?.stringValue,
                        !playStrategies.contains(strategy)
                    {
                        playStrategies.append(strategy)
                    }
                    numbered.append(event)
                }
                await sink.append(numbered)
            }
        } onCancel: {
            process.signalGroup(SIGKILL)
        }
        let status = await process.wait()
        if process.groupIsAlive {
            // The leader is gone; what is left of its group (forks still dying after a stop) goes too.
            if await control.stopReason != nil {
                _ = await process.waitForGroupExit(seconds: configuration.cancelGrace + configuration.killGrace)
            }
            process.signalGroup(SIGKILL)
            _ = await process.waitForGroupExit(seconds: 5)
        }
        if let lastEventAt { timings.mark(.playbook, at: lastEventAt) }
        timings.mark(.exit)
        await control.detach()
        directory.removeSecrets()
        if let rest = try tail.remainingOutput() {
            await sink.append([events.pipeline("stdout", suffix: "stdout", stdout: rest)])
        }

        let duration = Date().timeIntervalSince(startedAt)
        var data = events.runData(["rc": .int(Int64(status.code)), "duration": .double(duration), "mitogen": .bool(strategies != nil)])
        data["strategy"] = playStrategies.isEmpty ? .null : .string(playStrategies.joined(separator: ","))
        data["timings"] = timings.json()
        data["stats"] = stats ?? .null
        let reason = await control.stopReason
        let final: String
        switch reason {
        case .canceled:
            final = PipelineEventType.shardCanceled
            data["reason"] = .string("the job was cancelled")
        case .timedOut:
            final = PipelineEventType.shardError
            data["reason"] = .string("timed out after \(timeout) s")
        case nil where stats == nil && status.code != 0:
            final = PipelineEventType.shardError
            data["reason"] = .string("ansible-playbook exited with rc \(status.code) before reporting results")
        case nil:
            final = PipelineEventType.shardFinished
        }
        logger.info("ansible-playbook ended", metadata: ["rc": "\(status.code)", "event": "\(final)", "duration": "\(duration)"])
        let suffix = final == PipelineEventType.shardFinished ? "finished" : final == PipelineEventType.shardCanceled ? "canceled" : "error"
        await sink.append([events.pipeline(final, suffix: suffix, data: data)])
        return (final, status.code)
    }
}

/// Why a run could not start.
enum RunnerError: Error, CustomStringConvertible {
    case cannotStartAnsible(String)

    var description: String {
        switch self {
        case .cannotStartAnsible(let reason): return reason
        }
    }
}
