/// A view listed under a key of its own: `{"inventories": [...]}`.
protocol ListedView: Encodable, Hashable, Sendable {
    /// The list's key: `inventories`.
    static var listKey: String { get }
}

/// `#/components/schemas/InventoryList` and the other lists of one kind of resource, in id order.
struct ResourceList<Item: ListedView>: Encodable, Hashable, Sendable {
    var items: [Item]

    init(_ items: [Item]) {
        self.items = items
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: NamedKey.self)
        try container.encode(items, forKey: NamedKey(Item.listKey))
    }
}
