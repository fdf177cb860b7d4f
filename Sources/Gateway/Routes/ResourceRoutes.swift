import Foundation
import Hummingbird
import Shared

/// The list, show and delete handlers every resource with a numeric id shares, written once over its repository.
struct ResourceRoutes<Resource: Sendable>: Sendable {
    /// The resource in messages: `playbook`.
    let name: String
    /// The list's key: `playbooks`.
    let listKey: String
    /// How one is shown.
    let json: @Sendable (Resource) -> JSONValue
    private let repository: any ResourceRepository<Resource>

    init<Repository: ResourceRepository>(
        repository: Repository, name: String, listKey: String, json: @escaping @Sendable (Resource) -> JSONValue
    ) where Repository.Resource == Resource {
        self.repository = repository
        self.name = name
        self.listKey = listKey
        self.json = json
    }

    /// `{"<listKey>": [...]}`, in id order.
    @Sendable func list(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        JSONResponse.make(value: [listKey: .array(try await repository.list().map(json))])
    }

    @Sendable func get(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let id = try context.id(of: name)
        guard let resource = try await repository.get(id: id) else { throw APIError.notFound(name, id: "\(id)") }
        return JSONResponse.make(value: json(resource))
    }

    /// 204; 404 for an unknown id, 409 `in_use` while a pending or running job uses it.
    @Sendable func delete(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        try await repository.delete(id: try context.id(of: name))
        return Response(status: .noContent)
    }
}
