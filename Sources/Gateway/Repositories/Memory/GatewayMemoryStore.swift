import Foundation
import NIOConcurrencyHelpers
import NIOCore
import Shared

/// The gateway's tables in memory, for tests of routes, validation and auth that need no database. The memory
/// repositories share one store, so that a job sees the playbooks and inventories it names, as in PostgreSQL.
final class GatewayMemoryStore: Sendable {
    struct Tables: Sendable {
        var inventories: [Int64: InventoryRecord] = [:]
        var inventoryVersions: [Int64: [InventoryRecord]] = [:]
        var playbooks: [Int64: Playbook] = [:]
        var apps: [Int64: App] = [:]
        var appPlaybooks: Set<[Int64]> = []
        var appInventories: Set<[Int64]> = []
        var credentials: [Int64: Credential] = [:]
        var sealedCredentials: [Int64: Data] = [:]
        var tokens: [Int64: APIToken] = [:]
        var tokenDigests: [Int64: [UInt8]] = [:]
        var jobs: [Int64: Job] = [:]
        var jobKeys: [String: Int64] = [:]
        var audit: [AuditEntry] = []
        var schedules: [Int64: Schedule] = [:]
        var webhooks: [Int64: Webhook] = [:]
        /// Message ids of outbox rows not published (nothing publishes them here).
        var outbox: [String] = []
        private var lastIDs: [String: Int64] = [:]

        /// The next id of `table`, as a serial column gives it.
        mutating func nextID(_ table: String) -> Int64 {
            let id = (lastIDs[table] ?? 0) + 1
            lastIDs[table] = id
            return id
        }

        /// Refuses deleting what a pending or running job uses (as `ResourceDeletion` does).
        func refuseInUse(_ what: String, id: Int64, uses: (Job) -> Bool) throws(APIError) {
            let active = jobs.values.filter { uses($0) && ["pending", "running"].contains($0.status) }.min { $0.id < $1.id }
            if let active {
                throw APIError.conflict("in_use", "\(what) \(id) is used by job \(active.uuid.uuidString.lowercased()), which is pending or running")
            }
        }
    }

    private let tables = NIOLockedValueBox(Tables())

    init() {}

    /// Runs `body` on the tables; when it throws, nothing it changed is kept.
    func update<T>(_ body: (inout Tables) throws -> T) throws -> T {
        try tables.withLockedValue { tables in
            var copy = tables
            let result = try body(&copy)
            tables = copy
            return result
        }
    }

    func read<T>(_ body: (Tables) throws -> T) rethrows -> T {
        try tables.withLockedValue { try body($0) }
    }

    /// Rows in every table the API writes: what "nothing half-written" checks count.
    var rowCount: Int {
        read { $0.inventories.count + $0.playbooks.count + $0.apps.count + $0.credentials.count + $0.jobs.count + $0.outbox.count }
    }
}
