// Unix-domain sockets as tests need them: bound, listening, probed, read.

public import FairwayPOSIX
import Glibc

/// Small `AF_UNIX` socket helpers for tests, on FairwayPOSIX's checked calls:
/// binding, listening, probing and receiving. Sockets come back as owning
/// ``FileDescriptor``s (close-on-exec); the probes lend a descriptor's number.
public enum UnixSockets {
    /// A new socket of `kind` bound to `path`.
    public static func bound(_ path: String, _ kind: UnixSocket.Kind) throws(SystemCallError) -> FileDescriptor {
        let fd = try UnixSocket.make(kind)
        try UnixSocket.bind(fd, to: UnixSocketAddress(path: path))
        return fd
    }

    /// A datagram socket bound to `path`, with a receive timeout of `timeoutSeconds`.
    public static func datagramReceiver(_ path: String, timeoutSeconds: Int = 5) throws(SystemCallError) -> FileDescriptor {
        let fd = try bound(path, .datagram)
        let raw = fd.rawValue
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        try syscall("setsockopt SO_RCVTIMEO") {
            setsockopt(raw, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        }
        return fd
    }

    /// A stream socket bound to `path` and listening.
    public static func streamListener(_ path: String, backlog: Int32 = 16) throws(SystemCallError) -> FileDescriptor {
        let fd = try bound(path, .stream)
        try UnixSocket.listen(fd, backlog: backlog)
        return fd
    }

    /// Whether a socket of `kind` can connect to `path` now (a file left by an
    /// exited server refuses the connection).
    public static func accepts(_ path: String, _ kind: UnixSocket.Kind) -> Bool {
        do {
            _ = try UnixSocket.connect(to: UnixSocketAddress(path: path), kind)
            return true
        } catch {
            return false
        }
    }

    /// Receives one datagram on `fd` as text; throws after the receive timeout.
    public static func receiveText(_ fd: Int32) throws(SystemCallError) -> String {
        var buffer = [UInt8](repeating: 0, count: 65536)
        let count = try syscall("recv") { buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) } }
        return String(decoding: buffer[..<count], as: UTF8.self)
    }

    /// Whether a datagram (or a byte) is waiting on `fd`.
    public static func hasPending(_ fd: Int32) -> Bool {
        var byte: UInt8 = 0
        return (try? syscall("recv MSG_PEEK") { recv(fd, &byte, 1, Int32(MSG_PEEK | MSG_DONTWAIT)) }) != nil
    }

    /// Whether `fd` has something to read (or has been closed by its peer)
    /// within `seconds`.
    public static func isReadable(_ fd: Int32, within seconds: Double) -> Bool {
        var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let ready = try? syscall("poll") { poll(&pfd, 1, Int32(seconds * 1000)) }
        return (ready ?? 0) > 0
    }

    /// Bytes written to a stream socket that the peer has not read yet
    /// (`SIOCOUTQ`), or -1 when the kernel does not say.
    public static func unreadBytes(_ fd: Int32) -> Int32 {
        var count: Int32 = 0
        guard (try? syscall("ioctl SIOCOUTQ") { ioctl(fd, 0x5411, &count) }) != nil else { return -1 }
        return count
    }
}
