import Glibc
import Synchronization

/// An open file descriptor that this object owns: it is closed exactly once,
/// by ``close()`` or, failing that, when the object goes away.
///
/// ``rawValue`` lends the number to system calls; it stays valid until the
/// descriptor is closed. ``release()`` hands ownership back to the caller.
public final class FileDescriptor: Sendable, CustomStringConvertible {
    private let raw: Atomic<Int32>

    /// Takes ownership of `fd` (a negative value makes a closed descriptor).
    public init(owning fd: Int32) {
        raw = Atomic(fd)
    }

    /// The descriptor's number, or -1 once it is closed or released.
    public var rawValue: Int32 { raw.load(ordering: .acquiring) }

    /// Whether the descriptor is still open (not closed or released).
    public var isOpen: Bool { rawValue >= 0 }

    /// Closes the descriptor; later calls do nothing. Throws the error of
    /// `close(2)` other than `EINTR` (on Linux the descriptor is gone even
    /// then, so it is never retried).
    public func close() throws(SystemCallError) {
        let fd = raw.exchange(-1, ordering: .acquiringAndReleasing)
        guard fd >= 0 else { return }
        if Glibc.close(fd) != 0 {
            let e = errno
            if e != EINTR { throw SystemCallError(operation: "close(\(fd))", errno: e) }
        }
    }

    /// Gives up ownership and returns the number; the caller closes it.
    public func release() -> Int32 {
        raw.exchange(-1, ordering: .acquiringAndReleasing)
    }

    /// `fd N`, or `fd closed`.
    public var description: String {
        let fd = rawValue
        return fd >= 0 ? "fd \(fd)" : "fd closed"
    }

    deinit {
        // Nobody is left to hear of a failure here: an owner that cares
        // calls close() and handles its error.
        try? close()
    }
}

extension FileDescriptor {
    /// Sets `O_NONBLOCK` and `FD_CLOEXEC` on the descriptor.
    public func setNonBlocking() throws(SystemCallError) {
        let fd = rawValue
        let flags = try syscall("fcntl F_GETFL") { fcntl(fd, F_GETFL) }
        try syscall("fcntl F_SETFL O_NONBLOCK") { fcntl(fd, F_SETFL, flags | O_NONBLOCK) }
        let fdFlags = try syscall("fcntl F_GETFD") { fcntl(fd, F_GETFD) }
        try syscall("fcntl F_SETFD FD_CLOEXEC") { fcntl(fd, F_SETFD, fdFlags | FD_CLOEXEC) }
    }

    /// Reads up to `buffer.count` bytes: the count, 0 at end of file, or
    /// `nil` when a non-blocking descriptor has nothing now (`EAGAIN`).
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(SystemCallError) -> Int? {
        let fd = rawValue
        do {
            return try syscall("read") { Glibc.read(fd, buffer.baseAddress, buffer.count) }
        } catch where error.errno == EAGAIN || error.errno == EWOULDBLOCK {
            return nil
        }
    }

    /// Sends up to `buffer.count` bytes without blocking and without
    /// `SIGPIPE`: the count sent, or `nil` when the socket's buffer is full.
    public func send(_ buffer: UnsafeRawBufferPointer) throws(SystemCallError) -> Int? {
        let fd = rawValue
        do {
            return try syscall("send") {
                Glibc.send(fd, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL) | Int32(MSG_DONTWAIT))
            }
        } catch where error.errno == EAGAIN || error.errno == EWOULDBLOCK {
            return nil
        }
    }
}
