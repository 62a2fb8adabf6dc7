import Glibc
import CFairwayShim

/// Unix domain sockets: make, connect, bind, listen, accept and peer
/// credentials, each checked, through ``syscall(_:_:)``.
public enum UnixSocket {
    /// The kinds of socket Fairway uses.
    public enum Kind: Sendable {
        /// `SOCK_STREAM`: the daemon's socket.
        case stream
        /// `SOCK_DGRAM`: sd_notify's and journald's.
        case datagram

        var rawValue: Int32 {
            switch self {
            case .stream: Int32(SOCK_STREAM.rawValue)
            case .datagram: Int32(SOCK_DGRAM.rawValue)
            }
        }
    }

    /// A new close-on-exec `AF_UNIX` socket, non-blocking when asked.
    public static func make(_ kind: Kind, nonBlocking: Bool = false) throws(SystemCallError) -> FileDescriptor {
        var type = kind.rawValue | Int32(SOCK_CLOEXEC.rawValue)
        if nonBlocking { type |= Int32(SOCK_NONBLOCK.rawValue) }
        return FileDescriptor(owning: try syscall("socket") { socket(AF_UNIX, type, 0) })
    }

    /// A socket of `kind` connected to `address` (blocking unless asked).
    public static func connect(
        to address: UnixSocketAddress, _ kind: Kind = .stream, nonBlocking: Bool = false
    ) throws(SystemCallError) -> FileDescriptor {
        let fd = try make(kind, nonBlocking: nonBlocking)
        try connect(fd, to: address)
        return fd
    }

    /// Connects `fd` to `address`. A connect interrupted by a signal goes on
    /// in the kernel, so `EINTR` is not retried but waited out (`EALREADY`
    /// and `EISCONN` after it mean it is under way or done).
    public static func connect(_ fd: FileDescriptor, to address: UnixSocketAddress) throws(SystemCallError) {
        let raw = fd.rawValue
        var interrupted = false
        while true {
            let r = address.withSockAddr { sa, length in Glibc.connect(raw, sa, length) }
            if r == 0 { return }
            let e = errno
            if e == EINTR || (interrupted && e == EALREADY) {
                interrupted = true
                continue
            }
            if interrupted && e == EISCONN { return }
            throw SystemCallError(operation: "connecting to \(address.path)", errno: e)
        }
    }

    /// Binds `fd` to `address`.
    public static func bind(_ fd: FileDescriptor, to address: UnixSocketAddress) throws(SystemCallError) {
        let raw = fd.rawValue
        try syscall("binding \(address.path)") { address.withSockAddr { sa, length in Glibc.bind(raw, sa, length) } }
    }

    /// Starts listening on a bound `fd`.
    public static func listen(_ fd: FileDescriptor, backlog: Int32) throws(SystemCallError) {
        let raw = fd.rawValue
        try syscall("listen") { Glibc.listen(raw, backlog) }
    }

    /// Accepts one connection on a non-blocking listener, as a non-blocking,
    /// close-on-exec socket; `nil` when none is waiting.
    public static func accept(_ listener: FileDescriptor) throws(SystemCallError) -> FileDescriptor? {
        let raw = listener.rawValue
        do {
            return FileDescriptor(owning: try syscall("accept4") { fairway_accept_nonblocking(raw) })
        } catch where error.errno == EAGAIN || error.errno == EWOULDBLOCK {
            return nil
        }
    }

    /// Who is on the other end of a connected socket (`SO_PEERCRED`).
    public struct Credentials: Sendable, Equatable {
        public var pid: Int32
        public var uid: UInt32
        public var gid: UInt32

        public init(pid: Int32, uid: UInt32, gid: UInt32) {
            self.pid = pid
            self.uid = uid
            self.gid = gid
        }
    }

    /// The peer's credentials, as the kernel recorded them at `connect`.
    public static func peerCredentials(_ fd: FileDescriptor) throws(SystemCallError) -> Credentials {
        var c = Credentials(pid: 0, uid: 0, gid: 0)
        let raw = fd.rawValue
        try syscall("getsockopt SO_PEERCRED") { fairway_peer_credentials(raw, &c.pid, &c.uid, &c.gid) }
        return c
    }
}
