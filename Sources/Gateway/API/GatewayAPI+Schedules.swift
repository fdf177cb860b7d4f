import Foundation
import Shared

/// `/api/v1/schedule`: jobs launched on a cron timetable by `ScheduleRunner`. A schedule belongs to its job's env:
/// reading needs a viewer, changing an operator, within that env; its job is checked as a launch would be
/// (the playbook and inventory exist, the inventory is of the env, the credential may be used there).
extension GatewayAPI {
    func createSchedule(_ input: Operations.CreateSchedule.Input) async throws -> Operations.CreateSchedule.Output {
        let principal = try require(.operator)
        let body =
            switch input.body {
            case .json(let body): body
            }
        let fields = try await scheduleFields(
            name: body.name, cron: body.cron, timezone: body.timezone ?? "UTC", job: body.job, enabled: body.enabled ?? true, principal: principal,
            keepingNextRun: nil
        )
        let schedule = try await services.schedules.create(fields)
        audit(resourceID: "\(schedule.id)")
        logger.info(
            "schedule created",
            metadata: ["schedule.id": "\(schedule.id)", "schedule.next_run_at": "\(schedule.nextRunAt.map { "\($0)" } ?? "none")"])
        return .created(.init(body: .json(ScheduleView(schedule: schedule))))
    }

    func listSchedules(_ input: Operations.ListSchedules.Input) async throws -> Operations.ListSchedules.Output {
        let principal = try require(.viewer)
        let schedules = try await services.schedules.list().filter { principal.covers(env: $0.env) }
        return .ok(.init(body: .json(ResourceList(schedules.map { ScheduleView(schedule: $0) }))))
    }

    func getSchedule(_ input: Operations.GetSchedule.Input) async throws -> Operations.GetSchedule.Output {
        try require(.viewer)
        return .ok(.init(body: .json(ScheduleView(schedule: try await requireSchedule(input.path.id)))))
    }

    /// Changes what the body gives; the next due time is worked out again when the timetable or `enabled` changed.
    func updateSchedule(_ input: Operations.UpdateSchedule.Input) async throws -> Operations.UpdateSchedule.Output {
        let principal = try require(.operator)
        let existing = try await requireSchedule(input.path.id)
        let body =
            switch input.body {
            case .json(let body): body
            }
        let job = try body.job ?? JSONDecoder().decode(Components.Schemas.JobCreate.self, from: Data(existing.job.utf8))
        let retimed = body.cron != nil || body.timezone != nil || body.enabled != nil
        let fields = try await scheduleFields(
            name: body.name ?? existing.name, cron: body.cron ?? existing.cron, timezone: body.timezone ?? existing.timezone, job: job,
            enabled: body.enabled ?? existing.enabled, principal: principal, keepingNextRun: retimed ? nil : existing.nextRunAt
        )
        return .ok(.init(body: .json(ScheduleView(schedule: try await services.schedules.update(id: existing.id, fields)))))
    }

    func deleteSchedule(_ input: Operations.DeleteSchedule.Input) async throws -> Operations.DeleteSchedule.Output {
        try require(.operator)
        try await services.schedules.delete(id: try await requireSchedule(input.path.id).id)
        return .noContent(.init())
    }

    /// The schedule, once it exists within the token's scope (404 otherwise); notes it for the audit log.
    private func requireSchedule(_ id: Int) async throws -> Schedule {
        let schedule = try await get(id, from: services.schedules, name: "schedule")
        guard try inScope(env: schedule.env) else { throw APIError.notFound("schedule", id: "\(schedule.id)") }
        audit(resourceID: "\(schedule.id)", env: schedule.env)
        return schedule
    }

    /// A schedule's fields, checked, with its next due time (`keepingNextRun`, or the cron's next after now).
    private func scheduleFields(
        name: String, cron: String, timezone: String, job: Components.Schemas.JobCreate, enabled: Bool, principal: Principal,
        keepingNextRun: Date?
    ) async throws -> ScheduleFields {
        let name = try Self.nonEmpty(name, field: "name")
        let expression: CronExpression
        do {
            expression = try CronExpression(cron)
        } catch {
            throw APIError.invalidField("cron", error.message)
        }
        guard let zone = TimeZone(identifier: timezone) else {
            throw APIError.invalidField("timezone", "'\(timezone)' is not a time zone (an IANA name such as UTC or Europe/Paris)")
        }
        let launch: JobLaunch
        do {
            launch = try JobLaunch(request: job, idempotencyKey: nil)
        } catch {
            throw error.nested(in: "job")
        }
        audit(env: launch.env)
        try principal.requireScope(env: launch.env, field: "job.env")
        try await checkTargets(of: launch, principal: principal)
        var next = keepingNextRun
        if enabled, next == nil {
            guard let due = expression.next(after: Date(), in: zone) else {
                throw APIError.invalidField("cron", "'\(cron)' names no time in the next five years")
            }
            next = due
        }
        let text = String(decoding: try MessageCoding.encode(job), as: UTF8.self)
        return ScheduleFields(
            name: name, cron: cron, timezone: timezone, env: launch.env, job: text, enabled: enabled, nextRunAt: enabled ? next : nil,
            createdBy: principal.tokenID
        )
    }

    /// What a launch names exists, is visible to the principal and fits the env; the same refusals as a launch,
    /// with fields under `job`.
    private func checkTargets(of launch: JobLaunch, principal: Principal) async throws {
        guard try await services.playbooks.get(id: launch.playbookID) != nil else {
            throw APIError(.notFound, code: "not_found", message: "playbook \(launch.playbookID) does not exist", field: "job.playbook_id")
        }
        guard let inventory = try await services.inventories.get(id: launch.inventoryID), principal.covers(env: inventory.env) else {
            throw APIError(.notFound, code: "not_found", message: "inventory \(launch.inventoryID) does not exist", field: "job.inventory_id")
        }
        guard inventory.env == launch.env else {
            throw APIError(
                .badRequest, code: "env_mismatch", message: "inventory \(inventory.id) belongs to env '\(inventory.env)', not '\(launch.env)'",
                field: "job.env"
            )
        }
        if let id = launch.credentialID {
            guard let credential = try await services.credentials.get(id: id) else {
                throw APIError(.notFound, code: "not_found", message: "credential \(id) does not exist", field: "job.credential_id")
            }
            do {
                try Credential.requireUsable(id: id, envs: credential.envs, by: launch.env)
            } catch {
                throw error.nested(in: "job")
            }
        }
    }
}
