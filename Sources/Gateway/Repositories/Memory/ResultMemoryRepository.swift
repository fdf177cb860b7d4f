import Foundation

/// Results in a `GatewayMemoryStore`: jobs there never run, so each has no result, events or output yet.
struct ResultMemoryRepository: ResultRepository {
    let store: GatewayMemoryStore

    func result(uuid: UUID) async throws -> String { "{}" }

    func events(uuid: UUID, _ query: EventQuery) async throws -> [StoredEvent] { [] }

    func log(uuid: UUID, shard: Int?) async throws -> [LogChunk] { [] }
}
