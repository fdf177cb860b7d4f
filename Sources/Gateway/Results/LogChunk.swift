/// What Ansible printed for one event of a shard's current run (`stdout`), with the event's type.
struct LogChunk: Sendable, Equatable {
    var shard: Int
    var type: String
    var text: String
}
