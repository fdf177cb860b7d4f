import CRabbitMQ

extension String {
    /// Calls `body` with the string's UTF-8 bytes as `amqp_bytes_t` (valid only inside `body`).
    func withAMQPBytes<R>(_ body: (amqp_bytes_t) throws -> R) rethrows -> R {
        var copy = self
        return try copy.withUTF8 { buffer in
            try body(amqp_bytes_t(len: buffer.count, bytes: UnsafeMutableRawPointer(mutating: buffer.baseAddress)))
        }
    }

    init(amqpBytes bytes: amqp_bytes_t) {
        guard let pointer = bytes.bytes, bytes.len > 0 else {
            self = ""
            return
        }
        self = String(decoding: UnsafeRawBufferPointer(start: pointer, count: bytes.len), as: UTF8.self)
    }
}

extension Array where Element == UInt8 {
    /// Calls `body` with the array's bytes as `amqp_bytes_t` (valid only inside `body`).
    func withAMQPBytes<R>(_ body: (amqp_bytes_t) throws -> R) rethrows -> R {
        try withUnsafeBytes { buffer in
            try body(amqp_bytes_t(len: buffer.count, bytes: UnsafeMutableRawPointer(mutating: buffer.baseAddress)))
        }
    }
}

/// Builds an `amqp_table_t` from string and integer entries for the duration of one call.
enum AMQPTable {
    static func with<R>(_ entries: [AMQPArgument], _ body: (UnsafePointer<amqp_table_t>?) throws -> R) rethrows -> R {
        guard !entries.isEmpty else { return try body(nil) }
        // One buffer holds every key and string value; the entries point into it.
        var storage: [UInt8] = []
        var ranges: [(key: Range<Int>, value: Range<Int>?)] = []
        for entry in entries {
            let keyStart = storage.count
            storage.append(contentsOf: entry.key.utf8)
            let key = keyStart..<storage.count
            if case .string(let text) = entry.value {
                let valueStart = storage.count
                storage.append(contentsOf: text.utf8)
                ranges.append((key, valueStart..<storage.count))
            } else {
                ranges.append((key, nil))
            }
        }
        return try storage.withUnsafeMutableBytes { raw in
            func bytes(_ range: Range<Int>) -> amqp_bytes_t {
                amqp_bytes_t(len: range.count, bytes: raw.baseAddress.map { $0 + range.lowerBound })
            }
            var cEntries = [amqp_table_entry_t](repeating: amqp_table_entry_t(), count: entries.count)
            return try cEntries.withUnsafeMutableBufferPointer { cBuffer in
                for (index, entry) in entries.enumerated() {
                    let range = ranges[index]
                    switch entry.value {
                    case .string:
                        pansible_table_entry_string(&cBuffer[index], bytes(range.key), bytes(range.value ?? 0..<0))
                    case .int(let number):
                        pansible_table_entry_int(&cBuffer[index], bytes(range.key), Int64(number))
                    }
                }
                var table = amqp_table_t(num_entries: Int32(entries.count), entries: cBuffer.baseAddress)
                return try withUnsafePointer(to: &table) { try body($0) }
            }
        }
    }

    /// Reads a received table into strings (integers and booleans in decimal / `true` / `false`).
    static func strings(_ table: UnsafePointer<amqp_table_t>) -> [String: String] {
        var result: [String: String] = [:]
        let count = Int(table.pointee.num_entries)
        guard count > 0, let entries = table.pointee.entries else { return result }
        for index in 0..<count {
            let key = String(amqpBytes: entries[index].key)
            withUnsafePointer(to: entries[index].value) { value in
                var bytes = amqp_bytes_t()
                var number: Int64 = 0
                var flag: Int32 = 0
                if pansible_field_bytes(value, &bytes) == 1 {
                    result[key] = String(amqpBytes: bytes)
                } else if pansible_field_int(value, &number) == 1 {
                    result[key] = String(number)
                } else if pansible_field_bool(value, &flag) == 1 {
                    result[key] = flag == 1 ? "true" : "false"
                }
            }
        }
        return result
    }
}
