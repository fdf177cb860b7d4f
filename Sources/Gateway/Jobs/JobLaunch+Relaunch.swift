import Foundation
import Shared

extension JobLaunch {
    /// The launch that relaunches `original`: its env, playbook, inventory (at the version it ran), credential,
    /// app and options, at the commit its split pinned, limited to exactly `hosts` (the `hosts` option: names,
    /// not patterns, so any host name means that host). Without `hosts`, the job never split and which hosts it
    /// would have run is unknown: the relaunch keeps the job's own `limit`.
    static func relaunching(_ original: Job, hosts: [String]?) throws -> JobLaunch {
        let uuid = original.uuid.uuidString.lowercased()
        let status = JobStatus(rawValue: original.status) ?? .pending
        guard status.isFinished else {
            throw APIError.conflict("job_not_finished", "job \(uuid) is \(status.rawValue); relaunch it once it has ended")
        }
        guard let playbookID = original.playbookID, let inventoryID = original.inventoryID else {
            throw APIError.conflict("reference_gone", "the playbook or inventory of job \(uuid) no longer exists")
        }
        var options = try MessageCoding.decode(JobOptions.self, from: Array(original.options.utf8))
        if let hosts {
            guard !hosts.isEmpty else {
                throw APIError.conflict("nothing_to_relaunch", "job \(uuid) has no host to relaunch")
            }
            options.hosts = hosts
        }
        return JobLaunch(
            env: original.env, playbookID: playbookID, inventoryID: inventoryID, credentialID: original.credentialID, appID: original.appID,
            options: options, idempotencyKey: nil,
            relaunch: Relaunch(of: original.uuid, inventoryVersion: original.inventoryVersion, commit: original.playbookCommit)
        )
    }
}
