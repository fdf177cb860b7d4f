import NIOConcurrencyHelpers

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The descriptor holding a run's ownership lock, closed exactly once however many copies of its
/// `RunDirectory` remove it: closing a descriptor number twice could close another's (a socket, an epoll
/// instance) that reused the number in between.
final class RunLock: Sendable {
    private let descriptor: NIOLockedValueBox<Int32?>

    init(descriptor: Int32) {
        self.descriptor = NIOLockedValueBox(descriptor)
    }

    /// Removes the lock file at `path` while still holding the lock, then lets go of it; later calls do nothing.
    func release(removing path: String) {
        descriptor.withLockedValue { held in
            guard let open = held else { return }
            unlink(path)
            close(open)
            held = nil
        }
    }

    deinit {
        descriptor.withLockedValue { held in
            if let open = held { close(open) }
        }
    }
}
