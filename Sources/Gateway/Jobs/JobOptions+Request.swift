import Foundation
import OpenAPIRuntime
import Shared

extension JobOptions {
    /// Checks the optional job fields of a launch or deploy request.
    init(request: Components.Schemas.JobOptions) throws(APIError) {
        self.init()
        limit = GatewayAPI.unlessBlank(request.limit)
        if let extraVars = request.extraVars {
            self.extraVars = try Self.json(extraVars)
        }
        tags = Self.names(request.tags)
        skipTags = Self.names(request.skipTags)
        check = request.check
        diff = request.diff
        verbosity = try GatewayAPI.optionalInt(request.verbosity, field: "verbosity", range: 0...6).map(Int.init)
        forks = try GatewayAPI.optionalInt(request.forks, field: "forks", range: 1...1000).map(Int.init)
        shardSize = try GatewayAPI.optionalInt(request.shardSize, field: "shard_size", range: 0...1_000_000).map(Int.init)
        shards = try GatewayAPI.optionalInt(request.shards, field: "shards", range: 1...100_000).map(Int.init)
        if shardSize != nil && shards != nil {
            throw APIError(.badRequest, code: "invalid_field", message: "set shard_size or shards, not both", field: "shards")
        }
        timeout = try GatewayAPI.optionalInt(request.timeout, field: "timeout", range: 1...604_800).map(Int.init)
        deadline = try GatewayAPI.optionalInt(request.deadline, field: "deadline", range: 1...2_592_000).map(Int.init)
        if let pool = request.pool {
            guard Self.isValidPoolName(pool) else {
                throw .invalidField("pool", "a pool name is 1 to 64 letters, digits, '-', '_' or '.'")
            }
            self.pool = pool
        }
        mitogen = request.mitogen
        pipelining = request.pipelining
    }

    /// A list of names given as an array of strings or a comma-separated string; none when empty.
    private static func names(_ list: Components.Schemas.NameList?) -> [String]? {
        let names: [String]
        switch list {
        case .none: return nil
        case .case1(let text): names = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        case .case2(let items): names = items.map { $0.trimmingCharacters(in: .whitespaces) }
        }
        let kept = names.filter { !$0.isEmpty }
        return kept.isEmpty ? nil : kept
    }

    /// `extra_vars` as the JSON object it was sent as.
    private static func json(_ object: OpenAPIObjectContainer) throws(APIError) -> JSONValue {
        do {
            return try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(object))
        } catch {
            throw .invalidField("extra_vars", "could not be read as a JSON object")
        }
    }

    static func isValidPoolName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 64
            && name.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) && $0.isASCII || "-_.".unicodeScalars.contains($0) }
    }
}

extension JobLaunch {
    /// The launch a `POST /api/v1/job` body asks for, checked.
    init(request: Components.Schemas.JobCreate, idempotencyKey: String?) throws(APIError) {
        let (env, credentialID, options) = try Self.requested(env: request.value2.env, options: request.value1)
        self.init(
            env: env, playbookID: try GatewayAPI.int(request.value2.playbookId, field: "playbook_id", range: 1...Int64.max),
            inventoryID: try GatewayAPI.int(request.value2.inventoryId, field: "inventory_id", range: 1...Int64.max), credentialID: credentialID,
            appID: nil, options: options, idempotencyKey: idempotencyKey
        )
    }

    /// `env`, `credential_id` and the job options of a launch or deploy request, checked.
    static func requested(
        env: String, options request: Components.Schemas.JobOptions
    ) throws(APIError) -> (env: String, credentialID: Int64?, options: JobOptions) {
        let env = try GatewayAPI.nonEmpty(env, field: "env")
        let credentialID = try GatewayAPI.optionalInt(request.credentialId, field: "credential_id", range: 1...Int64.max)
        return (env, credentialID, try JobOptions(request: request))
    }
}
