import Foundation

/// `#/components/schemas/JobPage`: a page of `GET /api/v1/jobs`, newest first; `next` is the cursor of the next
/// page, or null on the last one.
struct JobPage: Encodable, Hashable, Sendable {
    var jobs: [JobView]
    var next: String?

    enum CodingKeys: String, CodingKey {
        case jobs, next
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(jobs, forKey: .jobs)
        try container.encode(next, forKey: .next)
    }
}
