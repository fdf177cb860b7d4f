/// `#/components/schemas/JobPage` and `AuditPage`: one page of a list read newest first by id, under the view's
/// key, with `next`, the cursor of the next page (null on the last one).
struct ResourcePage<Item: ListedView>: Encodable, Hashable, Sendable {
    var items: [Item]
    var next: String?

    /// The page out of `fetched`, read with a limit of `limit + 1` so that a next page shows: the first `limit`
    /// records, and the id of the last of them as the cursor when there are more.
    init<Record>(fetched: [Record], limit: Int64, id: (Record) -> Int64, view: (Record) -> Item) {
        let page = fetched.prefix(Int(limit))
        self.items = page.map(view)
        self.next = fetched.count > Int(limit) ? page.last.map { String(id($0)) } : nil
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: NamedKey.self)
        try container.encode(items, forKey: NamedKey(Item.listKey))
        try container.encode(next, forKey: NamedKey("next"))
    }
}
