import Foundation
import Shared

extension JobOptions {
    /// Reads and checks the optional job fields of a launch request.
    init(body: JSONBody) throws(APIError) {
        self.init()
        limit = try body.optionalString("limit").flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
        if let extraVars = try body.optionalObject("extra_vars") {
            self.extraVars = .object(extraVars)
        }
        tags = try body.optionalNameList("tags")
        skipTags = try body.optionalNameList("skip_tags")
        check = try body.optionalBool("check")
        diff = try body.optionalBool("diff")
        verbosity = try body.optionalInt("verbosity", range: 0...6).map(Int.init)
        forks = try body.optionalInt("forks", range: 1...1000).map(Int.init)
        shardSize = try body.optionalInt("shard_size", range: 0...1_000_000).map(Int.init)
        shards = try body.optionalInt("shards", range: 1...100_000).map(Int.init)
        if shardSize != nil && shards != nil {
            throw APIError(.badRequest, code: "invalid_field", message: "set shard_size or shards, not both", field: "shards")
        }
        timeout = try body.optionalInt("timeout", range: 1...604_800).map(Int.init)
        deadline = try body.optionalInt("deadline", range: 1...2_592_000).map(Int.init)
        if let pool = try body.optionalString("pool") {
            guard Self.isValidPoolName(pool) else {
                throw .invalidField("pool", "a pool name is 1 to 64 letters, digits, '-', '_' or '.'")
            }
            self.pool = pool
        }
        mitogen = try body.optionalBool("mitogen")
        pipelining = try body.optionalBool("pipelining")
    }

    static func isValidPoolName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 64
            && name.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) && $0.isASCII || "-_.".unicodeScalars.contains($0) }
    }
}
