import Foundation
import Hummingbird
import PostgresNIO
import Shared

/// `/api/v1/inventory`: the seed's inventories (`hosts` and `vars` as YAML text). Updating stores a new
/// version; every version is kept in `inventory_versions`.
struct InventoryController {
    let services: GatewayServices

    func addRoutes(to router: Router<GatewayRequestContext>) {
        router.post("/api/v1/inventory", use: create)
        router.get("/api/v1/inventory", use: list)
        router.get("/api/v1/inventory/:id", use: get)
        router.put("/api/v1/inventory/:id", use: update)
        router.delete("/api/v1/inventory/:id", use: delete)
        router.get("/api/v1/inventory/:id/versions", use: versions)
        router.get("/api/v1/inventory/:id/ansible", use: ansible)
    }

    static let columns = "id, name, env, version, hosts, vars, host_count, created_at, updated_at"
    typealias Row = (Int64, String, String, String, String, String?, Int, Date, Date)

    static func json(_ row: Row, withText: Bool = true) -> JSONValue {
        var object: [String: JSONValue] = [
            "id": .int(row.0), "name": .string(row.1), "env": .string(row.2), "version": .string(row.3), "host_count": .from(row.6),
            "created_at": .from(row.7), "updated_at": .from(row.8),
        ]
        if withText {
            object["hosts"] = .string(row.4)
            object["vars"] = .from(row.5)
        }
        return .object(object)
    }

    /// The fields of a new inventory, checked.
    struct Fields: Sendable {
        var name: String
        var env: String
        var version: String
        var hosts: String
        var vars: String?
        var hostCount: Int
    }

    static func fields(from body: JSONBody, checker: InventoryChecker) throws(APIError) -> Fields {
        let name = try body.nonEmptyString("name")
        let env = try body.nonEmptyString("env")
        let version = try body.nonEmptyString("version")
        let hosts = try body.nonEmptyString("hosts")
        let vars = try body.optionalString("vars").flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 }
        let checked = try checker.check(hosts: hosts, vars: vars)
        return Fields(name: name, env: env, version: version, hosts: hosts, vars: vars, hostCount: checked.hostCount)
    }

    /// Stores a new inventory and its first version in one statement.
    static func insert(_ fields: Fields, postgres: PostgresClient, logger: Logger) async throws -> Row {
        let rows = try await postgres.query(
            """
            WITH inventory AS (
                INSERT INTO inventories (name, env, version, hosts, vars, host_count)
                VALUES (\(fields.name), \(fields.env), \(fields.version), \(fields.hosts), \(fields.vars), \(fields.hostCount))
                RETURNING \(unescaped: columns)
            ), version AS (
                INSERT INTO inventory_versions (inventory_id, version, hosts, vars)
                SELECT id, version, hosts, vars FROM inventory
            )
            SELECT \(unescaped: columns) FROM inventory
            """,
            logger: logger
        )
        for try await row in rows.decode(Row.self) { return row }
        throw APIError(.internalServerError, code: "internal", message: "the inventory was not stored")
    }

    @Sendable func create(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        var request = request
        let body = try await request.jsonBody(limit: services.maxBodySize)
        let fields = try Self.fields(from: body, checker: services.inventory)
        let row = try await Self.insert(fields, postgres: services.postgres, logger: context.logger)
        return JSONResponse.make(status: .created, value: Self.json(row))
    }

    @Sendable func list(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let env = request.queryString("env")
        let rows = try await services.postgres.query(
            "SELECT \(unescaped: Self.columns) FROM inventories WHERE \(env)::text IS NULL OR env = \(env) ORDER BY id",
            logger: context.logger
        )
        var items: [JSONValue] = []
        for try await row in rows.decode(Row.self) { items.append(Self.json(row, withText: false)) }
        return JSONResponse.make(value: ["inventories": .array(items)])
    }

    @Sendable func get(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let id = try context.id(of: "inventory")
        guard let row = try await fetch(id, context: context) else { throw APIError.notFound("inventory", id: "\(id)") }
        guard let version = request.queryString("version"), version != row.3 else {
            return JSONResponse.make(value: Self.json(row))
        }
        let rows = try await services.postgres.query(
            "SELECT hosts, vars, created_at FROM inventory_versions WHERE inventory_id = \(id) AND version = \(version)",
            logger: context.logger
        )
        for try await (hosts, vars, createdAt) in rows.decode((String, String?, Date).self) {
            return JSONResponse.make(
                value: Self.json((row.0, row.1, row.2, version, hosts, vars, row.6, createdAt, createdAt))
            )
        }
        throw APIError(.notFound, code: "not_found", message: "inventory \(id) has no version '\(version)'", field: "version")
    }

    private func fetch(_ id: Int64, context: GatewayRequestContext) async throws -> Row? {
        let rows = try await services.postgres.query("SELECT \(unescaped: Self.columns) FROM inventories WHERE id = \(id)", logger: context.logger)
        for try await row in rows.decode(Row.self) { return row }
        return nil
    }

    /// A new version: `version` and `hosts` are required, `vars` replaces the old vars, `name` and `env` may change.
    @Sendable func update(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let id = try context.id(of: "inventory")
        var request = request
        let body = try await request.jsonBody(limit: services.maxBodySize)
        let version = try body.nonEmptyString("version")
        let hosts = try body.nonEmptyString("hosts")
        let vars = try body.optionalString("vars").flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 }
        let name = try body.optionalString("name").flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
        let env = try body.optionalString("env").flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
        let checked = try services.inventory.check(hosts: hosts, vars: vars)
        let logger = context.logger
        let row: Row
        do {
            row = try await services.postgres.withWatchedTransaction(logger: logger) { connection in
                let existing = try await connection.query(
                    "SELECT version FROM inventory_versions WHERE inventory_id = \(id) AND version = \(version)", logger: logger
                )
                for try await _ in existing.decode(String.self) {
                    throw APIError(.conflict, code: "version_exists", message: "inventory \(id) already has version '\(version)'", field: "version")
                }
                let rows = try await connection.query(
                    """
                    UPDATE inventories SET version = \(version), hosts = \(hosts), vars = \(vars), host_count = \(checked.hostCount),
                        name = coalesce(\(name), name), env = coalesce(\(env), env), updated_at = now()
                    WHERE id = \(id)
                    RETURNING \(unescaped: Self.columns)
                    """,
                    logger: logger
                )
                var updated: Row?
                for try await row in rows.decode(Row.self) { updated = row }
                guard let updated else { throw APIError.notFound("inventory", id: "\(id)") }
                try await connection.query(
                    "INSERT INTO inventory_versions (inventory_id, version, hosts, vars) VALUES (\(id), \(version), \(hosts), \(vars))",
                    logger: logger
                )
                return updated
            }
        } catch let error as PostgresTransactionError {
            throw error.closureError ?? error
        }
        return JSONResponse.make(value: Self.json(row))
    }

    @Sendable func delete(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let id = try context.id(of: "inventory")
        try await ResourceDeletion.delete(
            table: "inventories", jobColumn: "inventory_id", id: id, what: "inventory", postgres: services.postgres, logger: context.logger
        )
        return Response(status: .noContent)
    }

    @Sendable func versions(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let id = try context.id(of: "inventory")
        guard try await fetch(id, context: context) != nil else { throw APIError.notFound("inventory", id: "\(id)") }
        let rows = try await services.postgres.query(
            "SELECT version, created_at FROM inventory_versions WHERE inventory_id = \(id) ORDER BY created_at, version",
            logger: context.logger
        )
        var items: [JSONValue] = []
        for try await (version, createdAt) in rows.decode((String, Date).self) {
            items.append(["version": .string(version), "created_at": .from(createdAt)])
        }
        return JSONResponse.make(value: ["inventory_id": .int(id), "versions": .array(items)])
    }

    /// Ansible's dynamic-inventory JSON (`ansible-inventory --list`).
    @Sendable func ansible(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let id = try context.id(of: "inventory")
        guard let row = try await fetch(id, context: context) else { throw APIError.notFound("inventory", id: "\(id)") }
        let listing = try services.inventory.ansibleList(hosts: row.4, vars: row.5)
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: listing)))
    }
}
