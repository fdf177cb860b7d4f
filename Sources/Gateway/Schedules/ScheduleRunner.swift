import Foundation
import Logging
import ServiceLifecycle
import Shared

/// Launches the jobs of due schedules, in every gateway: each due time is taken by one gateway under a row lock
/// (`ScheduleRepository.runDue`) and launched with the idempotency key `schedule/ID/DUE`, so that a gateway
/// stopped between the launch and the schedule's update launches nothing twice when the time is taken again.
/// A time that passed while no gateway ran is launched once, and the next one is worked out from now.
struct ScheduleRunner: Service {
    struct Settings: Sendable {
        /// How often due schedules are looked for.
        var interval: Duration = .seconds(1)
        /// Schedules run per look.
        var batchSize = 20
    }

    let schedules: any ScheduleRepository
    let jobs: any JobRepository
    let startup: StartupGate?
    var settings = Settings()
    let logger: Logger

    func run() async throws {
        await PollingLoop.run(every: settings.interval, after: startup) { await runDue() }
    }

    /// Runs what is due now (the database away: logged, tried again on the next look).
    func runDue() async {
        let jobs = self.jobs
        let logger = self.logger
        do {
            while try await schedules.runDue(now: Date(), limit: settings.batchSize, { await Self.launch($0, jobs: jobs, logger: logger) })
                == settings.batchSize
            {}
        } catch {
            logger.warning("could not run due schedules; trying again", metadata: ["error": "\(error)"])
        }
    }

    static func launch(_ schedule: Schedule, jobs: any JobRepository, logger: Logger) async -> ScheduleRun {
        let next = (try? CronExpression(schedule.cron)).flatMap { cron in
            TimeZone(identifier: schedule.timezone).flatMap { cron.next(after: Date(), in: $0) }
        }
        let due = Int64((schedule.nextRunAt ?? Date()).timeIntervalSince1970)
        var metadata: Logger.Metadata = ["schedule.id": "\(schedule.id)", "schedule.due": "\(due)"]
        do {
            let request = try JSONDecoder().decode(Components.Schemas.JobCreate.self, from: Data(schedule.job.utf8))
            var launch = try JobLaunch(request: request, idempotencyKey: "schedule/\(schedule.id)/\(due)")
            launch.scheduleID = schedule.id
            let (job, replayed) = try await jobs.launch(launch)
            metadata["job.uuid"] = "\(job.uuid.uuidString.lowercased())"
            metadata["job.replayed"] = "\(replayed)"
            logger.info("schedule launched its job", metadata: metadata)
            return ScheduleRun(jobUUID: job.uuid, error: nil, next: next)
        } catch let error as APIError {
            metadata["error"] = "\(error.message)"
            logger.warning("schedule could not launch its job", metadata: metadata)
            return ScheduleRun(jobUUID: nil, error: error.message, next: next)
        } catch {
            metadata["error"] = "\(error)"
            logger.warning("schedule could not launch its job", metadata: metadata)
            return ScheduleRun(jobUUID: nil, error: "\(error)", next: next)
        }
    }
}
