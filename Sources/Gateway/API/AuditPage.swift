import Foundation

/// `#/components/schemas/AuditPage`: a page of `GET /api/v1/audit`, newest first; `next` is the cursor of the
/// next page, or null on the last one.
struct AuditPage: Encodable, Hashable, Sendable {
    var entries: [AuditEntryView]
    var next: String?

    enum CodingKeys: String, CodingKey {
        case entries, next
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(entries, forKey: .entries)
        try container.encode(next, forKey: .next)
    }
}
