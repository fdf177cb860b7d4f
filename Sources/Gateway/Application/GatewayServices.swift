import Foundation
import Shared

/// What the route handlers share: the repositories, and what checks and seals their input.
struct GatewayServices: Sendable {
    let inventories: any InventoryRepository
    let playbooks: any PlaybookRepository
    let apps: any AppRepository
    let credentials: any CredentialRepository
    let tokens: any TokenRepository
    let jobs: any JobRepository
    let results: any ResultRepository
    let audit: any AuditRepository
    let schedules: any ScheduleRepository
    let webhooks: any WebhookRepository
    let sealer: CredentialSealer
    let inventory: InventoryChecker
    let maxBodySize: Int
    /// The collector's WebSocket address as clients reach it (`progress_url`), for each job's progress address.
    var progressBase: String? = nil
}
