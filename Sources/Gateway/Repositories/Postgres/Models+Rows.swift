import Foundation
import PostgresNIO
import Shared

// How each model is read from its table's row, by column name.

extension String {
    /// A column list (`"id, name"`) as `"p.id AS playbook_id, p.name AS playbook_name"`: for joins whose tables
    /// share column names.
    func prefixed(_ table: String, as prefix: String) -> String {
        split(separator: ",").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.map { "\(table).\($0) AS \(prefix)\($0)" }
            .joined(separator: ", ")
    }
}

extension InventoryRecord {
    static let columns = "id, name, env, version, hosts, vars, host_count, created_at, updated_at"

    init(row: PostgresRow) throws {
        self = try row.columns { c in try InventoryRecord(columns: c) }
    }

    /// From columns named with `prefix` (`inventory_` for `inventory_id`, ...).
    init(columns c: PostgresColumns, prefix p: String = "") throws {
        self.init(
            id: try c(p + "id"), name: try c(p + "name"), env: try c(p + "env"), version: try c(p + "version"), hosts: try c(p + "hosts"),
            vars: try c(p + "vars"), hostCount: try c(p + "host_count"), createdAt: try c(p + "created_at"), updatedAt: try c(p + "updated_at")
        )
    }
}

extension Playbook {
    static let columns = "id, name, git_repo, entry, ref, credential_id, created_at"

    init(row: PostgresRow) throws {
        self = try row.columns { c in try Playbook(columns: c) }
    }

    /// From columns named with `prefix` (`playbook_` for `playbook_id`, ...).
    init(columns c: PostgresColumns, prefix p: String = "") throws {
        self.init(
            id: try c(p + "id"), name: try c(p + "name"), gitRepo: try c(p + "git_repo"), entry: try c(p + "entry"), ref: try c(p + "ref"),
            credentialID: try c(p + "credential_id"), createdAt: try c(p + "created_at")
        )
    }
}

extension App {
    static let columns = "id, appid, created_at"

    init(row: PostgresRow) throws {
        self = try row.columns { c in App(id: try c("id"), appid: try c("appid"), createdAt: try c("created_at")) }
    }
}

extension Credential {
    static let columns = "id, name, has_ssh_key, has_vault_password, username, envs, created_at"

    init(row: PostgresRow) throws {
        self = try row.columns { c in
            Credential(
                id: try c("id"), name: try c("name"), hasSSHKey: try c("has_ssh_key"), hasVaultPassword: try c("has_vault_password"),
                username: try c("username"), envs: try c("envs"), createdAt: try c("created_at")
            )
        }
    }
}

extension APIToken {
    static let columns = "id, name, role, envs, created_at, last_used_at, revoked_at"

    init(row: PostgresRow) throws {
        self = try row.columns { c in
            APIToken(
                id: try c("id"), name: try c("name"), role: Role(rawValue: try c("role", as: String.self)) ?? .viewer, envs: try c("envs"),
                createdAt: try c("created_at"), lastUsedAt: try c("last_used_at"), revokedAt: try c("revoked_at")
            )
        }
    }
}

extension Job {
    static let columns = """
        id, uuid, env, playbook_id, inventory_id, inventory_version, app_id, credential_id, options::text, status, status_reason,
        playbook_commit, shard_count, host_count, cancel_requested_at, created_at, started_at, finished_at, updated_at, deadline_at, relaunch_of,
        schedule_id
        """

    init(row: PostgresRow) throws {
        self = try row.columns { c in
            Job(
                id: try c("id"), uuid: try c("uuid"), env: try c("env"), playbookID: try c("playbook_id"), inventoryID: try c("inventory_id"),
                inventoryVersion: try c("inventory_version"), appID: try c("app_id"), credentialID: try c("credential_id"),
                options: try c("options"), status: try c("status"), statusReason: try c("status_reason"),
                playbookCommit: try c("playbook_commit"), shardCount: try c("shard_count"), hostCount: try c("host_count"),
                cancelRequestedAt: try c("cancel_requested_at"), createdAt: try c("created_at"), startedAt: try c("started_at"),
                finishedAt: try c("finished_at"), updatedAt: try c("updated_at"), deadlineAt: try c("deadline_at"),
                relaunchOf: try c("relaunch_of"), scheduleID: try c("schedule_id")
            )
        }
    }
}

extension Schedule {
    static let columns = """
        id, name, cron, timezone, env, job::text AS job, enabled, next_run_at, last_run_at, last_job_uuid, last_error, created_at, updated_at
        """

    init(row: PostgresRow) throws {
        self = try row.columns { c in
            Schedule(
                id: try c("id"), name: try c("name"), cron: try c("cron"), timezone: try c("timezone"), env: try c("env"), job: try c("job"),
                enabled: try c("enabled"), nextRunAt: try c("next_run_at"), lastRunAt: try c("last_run_at"), lastJobUUID: try c("last_job_uuid"),
                lastError: try c("last_error"), createdAt: try c("created_at"), updatedAt: try c("updated_at")
            )
        }
    }
}

extension Webhook {
    static let columns = "id, url, events, envs, created_at"

    init(row: PostgresRow) throws {
        self = try row.columns { c in
            Webhook(id: try c("id"), url: try c("url"), events: try c("events"), envs: try c("envs"), createdAt: try c("created_at"))
        }
    }
}
