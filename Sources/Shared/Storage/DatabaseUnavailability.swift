import PostgresNIO
import _ConnectionPoolModule

/// Whether an error is PostgreSQL being out of reach rather than the statement failing: the gateway answers it
/// 503 with `Retry-After`, and migrations try again.
public enum DatabaseUnavailability {
    /// True for failures of reaching PostgreSQL rather than of the request: the connection failed or was lost,
    /// the server is shutting down or starting (SQLSTATE class 08, 57P01–57P03), the pool gave up connecting.
    public static func isUnavailable(_ error: any Error) -> Bool {
        switch error {
        case is ConnectionLostError:
            return true
        case let error as ConnectionPoolError:
            return error == .connectionCreationCircuitBreakerTripped
        case let error as PostgresTransactionError:
            return [error.beginError, error.closureError, error.commitError].contains { $0.map(isUnavailable) ?? false }
        case let error as PSQLError:
            switch error.code {
            case .connectionError, .serverClosedConnection, .uncleanShutdown:
                return true
            case .server:
                guard let state = error.serverInfo?[.sqlState] else { return false }
                return state.hasPrefix("08") || ["57P01", "57P02", "57P03"].contains(state)
            default:
                return false
            }
        default:
            return false
        }
    }
}
