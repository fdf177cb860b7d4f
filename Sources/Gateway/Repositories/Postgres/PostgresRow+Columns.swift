import PostgresNIO

extension PostgresRow {
    /// Reads columns by name: `try row.columns { c in Playbook(id: try c("id"), ...) }`.
    func columns<T>(_ read: (PostgresColumns) throws -> T) throws -> T {
        try read(PostgresColumns(row: makeRandomAccess()))
    }
}

/// A row's columns by name.
struct PostgresColumns {
    let row: PostgresRandomAccessRow

    func callAsFunction<T: PostgresDecodable>(_ name: String, as type: T.Type = T.self) throws -> T {
        try row[name].decode(T.self)
    }
}
