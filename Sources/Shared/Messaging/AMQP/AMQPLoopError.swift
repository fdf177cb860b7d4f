/// Failures inside the connection's thread.
enum AMQPLoopError: Error, CustomStringConvertible {
    /// The connection is unusable: reconnect.
    case connection(String)
    /// The broker closed one channel (close-ok already sent).
    case channel(code: UInt16, text: String)

    var description: String {
        switch self {
        case .connection(let text): return text
        case .channel(let code, let text): return "channel closed by the broker: \(code) \(text)"
        }
    }
}
