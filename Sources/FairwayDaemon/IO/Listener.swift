import FairwayPOSIX
import FairwaySystemd
import Glibc

/// The listening sockets: passed in by systemd, or bound by the daemon.
enum Listener {
    /// Listening Unix stream sockets passed by systemd socket activation.
    /// Descriptors that are not such listeners are closed and left out.
    static func fromSystemd() throws(SystemCallError) -> [FileDescriptor] {
        var listeners: [FileDescriptor] = []
        for passed in ListenFDs.take() {
            let fd = FileDescriptor(owning: passed.fd)
            guard ListenFDs.isUnixStreamListener(passed.fd) else { continue }
            try fd.setNonBlocking()
            listeners.append(fd)
        }
        return listeners
    }

    /// Removes the socket file the daemon bound, when it stops; a failure is logged.
    static func remove(_ path: String, log: EventLog) {
        do {
            try syscall("removing \(path)") { unlink(path) }
        } catch where error.errno != ENOENT {
            log.log("\(error)", priority: .warning)
        } catch {}
    }

    /// Binds `path` with `mode`. A socket file nobody answers on is stale and
    /// removed; one that answers belongs to a running daemon and is an error,
    /// and so is one that cannot be checked (never removed on a guess).
    static func bind(path: String, mode: UInt32) throws(SystemCallError) -> FileDescriptor {
        let address = try UnixSocketAddress(path: path)
        try makeParentDirectory(of: path)
        var st = stat()
        if lstat(path, &st) == 0 {
            guard (st.st_mode & S_IFMT) == S_IFSOCK else {
                throw SystemCallError(operation: "\(path) exists and is not a socket", errno: EEXIST)
            }
            switch probe(address) {
            case .stale:
                try syscall("removing the stale socket \(path)") { unlink(path) }
            case .live:
                throw SystemCallError(operation: "another fairwayd answers on \(path)", errno: EADDRINUSE)
            case .unknown(let e):
                throw SystemCallError(operation: "\(path) exists and cannot be checked (does another fairwayd use it?)", errno: e)
            }
        }
        let fd = try UnixSocket.make(.stream, nonBlocking: true)
        try UnixSocket.bind(fd, to: address)
        try syscall("chmod \(String(mode, radix: 8)) \(path)") { chmod(path, mode_t(mode)) }
        try UnixSocket.listen(fd, backlog: 1024)
        return fd
    }

    /// What a connection attempt says about an existing socket file.
    enum Probe: Equatable {
        /// Refused: nobody has the socket open (a daemon that died left it).
        case stale
        /// Accepted, or the backlog is full (`EAGAIN`): something listens.
        case live
        /// Any other error (`EACCES`, ...): cannot tell, so it is not removed.
        case unknown(Int32)
    }

    /// Connects to `address` without blocking to see whether something listens.
    static func probe(_ address: UnixSocketAddress) -> Probe {
        do {
            _ = try UnixSocket.connect(to: address, nonBlocking: true)
            return .live
        } catch {
            switch error.errno {
            case ECONNREFUSED, ENOENT: return .stale
            case EAGAIN, EINPROGRESS: return .live
            case let e: return .unknown(e)
            }
        }
    }

    /// Creates the directories above `path` that are missing (mode 0755).
    static func makeParentDirectory(of path: String) throws(SystemCallError) {
        var parts = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        parts.removeLast()
        var current = path.hasPrefix("/") ? "" : "."
        for part in parts where !part.isEmpty {
            current += "/" + part
            if mkdir(current, 0o755) != 0 && errno != EEXIST {
                throw SystemCallError(operation: "creating directory \(current)", errno: errno)
            }
        }
    }
}
