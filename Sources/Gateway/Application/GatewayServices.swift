import Logging
import PostgresNIO
import Shared

/// What the route handlers share.
struct GatewayServices: Sendable {
    let postgres: PostgresClient
    let sealer: CredentialSealer
    let launcher: JobLauncher
    let inventory: InventoryChecker
    let maxBodySize: Int
}
