import Foundation
import Logging
import PostgresNIO
import Shared

extension GatewayServices {
    /// Every repository on PostgreSQL; launches and cancels wake the outbox relay through `signal`.
    static func postgres(
        client: PostgresClient, signal: OutboxSignal, defaultDeadline: Int, sealer: CredentialSealer, maxBodySize: Int, logger: Logger
    ) -> GatewayServices {
        GatewayServices(
            inventories: InventoryPostgresRepository(client: client, logger: logger),
            playbooks: PlaybookPostgresRepository(client: client, logger: logger),
            apps: AppPostgresRepository(client: client, logger: logger),
            credentials: CredentialPostgresRepository(client: client, logger: logger),
            tokens: TokenPostgresRepository(client: client, logger: logger),
            jobs: JobPostgresRepository(client: client, signal: signal, defaultDeadline: defaultDeadline, logger: logger),
            results: ResultPostgresRepository(client: client, logger: logger), audit: AuditPostgresRepository(client: client, logger: logger),
            schedules: SchedulePostgresRepository(client: client, logger: logger),
            webhooks: WebhookPostgresRepository(client: client, logger: logger),
            sealer: sealer, inventory: InventoryChecker(), maxBodySize: maxBodySize
        )
    }

    /// Every repository in `store`: routes, validation and auth without a database.
    static func memory(store: GatewayMemoryStore, sealer: CredentialSealer, maxBodySize: Int) -> GatewayServices {
        GatewayServices(
            inventories: InventoryMemoryRepository(store: store), playbooks: PlaybookMemoryRepository(store: store),
            apps: AppMemoryRepository(store: store), credentials: CredentialMemoryRepository(store: store),
            tokens: TokenMemoryRepository(store: store), jobs: JobMemoryRepository(store: store), results: ResultMemoryRepository(store: store),
            audit: AuditMemoryRepository(store: store), schedules: ScheduleMemoryRepository(store: store),
            webhooks: WebhookMemoryRepository(store: store),
            sealer: sealer, inventory: InventoryChecker(), maxBodySize: maxBodySize
        )
    }
}
