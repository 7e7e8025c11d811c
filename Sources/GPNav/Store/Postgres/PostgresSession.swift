#if PostgreSQL
import Foundation
import PostgresNIO

/// One value bound to a statement's `$n` placeholder.
enum PostgresValue {
    case int(Int64?)
    case double(Double?)
    case text(String?)
    case bool(Bool)
    case ints([Int64])

    static func int(_ value: Int?) -> Self { .int(value.map(Int64.init)) }
}

/// One row read back, with typed access by column position.
struct PostgresValues {
    let cells: [PostgresCell]

    init(_ row: PostgresRow) { cells = Array(row) }

    func get<T: PostgresDecodable>(_ index: Int, as type: T.Type = T.self) throws -> T {
        guard cells.indices.contains(index) else {
            throw StoreError.corruptRow("a row has \(cells.count) columns, not \(index + 1)")
        }
        do {
            return try cells[index].decode(T.self)
        } catch {
            throw StoreError.corruptRow("column \(cells[index].columnName) cannot be read as \(T.self)")
        }
    }

    func int(_ index: Int) throws -> Int { Int(try get(index, as: Int64.self)) }
    func optionalInt(_ index: Int) throws -> Int? { try get(index, as: Int64?.self).map(Int.init) }
}

/// A connection inside one transaction: runs statements with positional values.
struct PostgresSession {
    let connection: PostgresConnection
    let connections: PostgresConnections

    /// Runs `sql` with `values` bound to `$1`, `$2`, ... and returns its rows.
    @discardableResult
    func rows(_ sql: String, _ values: [PostgresValue] = []) async throws -> [PostgresValues] {
        var bindings = PostgresBindings(capacity: values.count)
        for value in values {
            switch value {
            case .int(let value): bindings.append(value)
            case .double(let value): bindings.append(value)
            case .text(let value): bindings.append(value)
            case .bool(let value): bindings.append(value)
            case .ints(let values): bindings.append(values)
            }
        }
        return try await connections.run(PostgresQuery(unsafeSQL: sql, binds: bindings), on: connection).map(PostgresValues.init)
    }

    /// The first row of `sql`, or nil.
    func row(_ sql: String, _ values: [PostgresValue] = []) async throws -> PostgresValues? {
        try await rows(sql, values).first
    }

    /// Runs `sql` and returns how many rows it changed (from `RETURNING 1`).
    func changed(_ sql: String, _ values: [PostgresValue] = []) async throws -> Int {
        try await rows(sql + " RETURNING 1", values).count
    }
}
#endif
