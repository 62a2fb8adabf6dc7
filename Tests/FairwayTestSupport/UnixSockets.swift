// Unix-domain sockets as tests need them: bound, listening, probed, read.

public import Glibc

/// Small `AF_UNIX` socket helpers for tests: binding, listening, probing and
/// receiving. Every descriptor is close-on-exec and owned by the caller.
public enum UnixSockets {
    /// A `sockaddr_un` for `path`; an empty or too long path is an error.
    public static func address(_ path: String) throws(FixtureError) -> sockaddr_un {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard !bytes.isEmpty, bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            throw FixtureError("not a usable socket path: '\(path)'")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        return address
    }

    /// Calls `body` with `address` as the `sockaddr` pointer and length the socket calls take.
    private static func withAddress<R>(_ address: sockaddr_un, _ body: (UnsafePointer<sockaddr>, socklen_t) -> R) -> R {
        var copy = address
        return withUnsafePointer(to: &copy) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
    }

    /// A new `AF_UNIX` socket of `type` (`SOCK_STREAM`, `SOCK_DGRAM`).
    private static func make(_ type: Int32) throws(FixtureError) -> Int32 {
        let fd = socket(AF_UNIX, type | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw FixtureError("socket: \(String(cString: strerror(errno)))") }
        return fd
    }

    /// A new `AF_UNIX` socket of `type` on which `call` (`bind`, `connect`)
    /// with `path`'s address succeeded (retried on EINTR); `name` is the call's
    /// name for the error.
    private static func addressed(
        _ path: String, type: Int32, _ name: String, _ call: (Int32, UnsafePointer<sockaddr>, socklen_t) -> Int32
    ) throws(FixtureError) -> Int32 {
        let address = try address(path)
        let fd = try make(type)
        var result: Int32
        repeat {
            result = withAddress(address) { call(fd, $0, $1) }
        } while result != 0 && errno == EINTR
        guard result == 0 else {
            let saved = errno
            close(fd)
            throw FixtureError("\(name) \(path): \(String(cString: strerror(saved)))")
        }
        return fd
    }

    /// A new `AF_UNIX` socket of `type` bound to `path`.
    public static func bound(_ path: String, type: Int32) throws(FixtureError) -> Int32 {
        try addressed(path, type: type, "bind", bind)
    }

    /// A datagram socket bound to `path`, with a receive timeout of `timeoutSeconds`.
    public static func datagramReceiver(_ path: String, timeoutSeconds: Int = 5) throws(FixtureError) -> Int32 {
        let fd = try bound(path, type: Int32(SOCK_DGRAM.rawValue))
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        guard setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size)) == 0 else {
            let saved = errno
            close(fd)
            throw FixtureError("setsockopt SO_RCVTIMEO: \(String(cString: strerror(saved)))")
        }
        return fd
    }

    /// A stream socket bound to `path` and listening.
    public static func streamListener(_ path: String, backlog: Int32 = 16) throws(FixtureError) -> Int32 {
        let fd = try bound(path, type: Int32(SOCK_STREAM.rawValue))
        guard listen(fd, backlog) == 0 else {
            let saved = errno
            close(fd)
            throw FixtureError("listen \(path): \(String(cString: strerror(saved)))")
        }
        return fd
    }

    /// A new `AF_UNIX` socket of `type` connected to `path` (a blocking one).
    public static func connected(_ path: String, type: Int32 = Int32(SOCK_STREAM.rawValue)) throws(FixtureError) -> Int32 {
        try addressed(path, type: type, "connect", connect)
    }

    /// Whether a socket of `type` can connect to `path` now (a file left by an
    /// exited server refuses the connection).
    public static func accepts(_ path: String, type: Int32) -> Bool {
        guard let fd = try? connected(path, type: type) else { return false }
        close(fd)
        return true
    }

    /// Receives one datagram as text; throws after the receive timeout.
    public static func receiveText(_ fd: Int32) throws(FixtureError) -> String {
        var buffer = [UInt8](repeating: 0, count: 65536)
        let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard count >= 0 else { throw FixtureError("recv: \(String(cString: strerror(errno)))") }
        return String(decoding: buffer[..<count], as: UTF8.self)
    }

    /// Whether a datagram (or a byte) is waiting on `fd`.
    public static func hasPending(_ fd: Int32) -> Bool {
        var byte: UInt8 = 0
        return recv(fd, &byte, 1, Int32(MSG_PEEK | MSG_DONTWAIT)) >= 0
    }

    /// Whether `fd` has something to read (or has been closed by its peer)
    /// within `seconds`.
    public static func isReadable(_ fd: Int32, within seconds: Double) -> Bool {
        var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&pfd, 1, Int32(seconds * 1000)) > 0
    }

    /// Bytes written to a stream socket that the peer has not read yet
    /// (`SIOCOUTQ`), or -1 when the kernel does not say.
    public static func unreadBytes(_ fd: Int32) -> Int32 {
        var count: Int32 = 0
        guard ioctl(fd, 0x5411, &count) == 0 else { return -1 }
        return count
    }
}
