import Foundation
import TestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// A loopback port that a playbook waits on (`wait_for: port=…`) until the test opens it: a listening socket,
/// which accepts connections through its backlog without ever answering.
final class TCPGate: @unchecked Sendable {
    // @unchecked: `listener` is only touched by `open` and `close`, which the test calls one after the other.
    let port = TestServices.freePort()
    private var listener: Int32 = -1

    func open() throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var reuse: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard descriptor >= 0, bound == 0, listen(descriptor, 64) == 0 else {
            throw TestFailure("cannot listen on 127.0.0.1:\(port): \(String(cString: strerror(errno)))")
        }
        listener = descriptor
    }

    func close() {
        if listener >= 0 { Glibc.close(listener) }
        listener = -1
    }
}
