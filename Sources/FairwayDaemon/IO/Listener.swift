import CFairwayShim
import FairwaySystemd
import Glibc

/// The listening sockets: passed in by systemd, or bound by the daemon.
enum Listener {
    /// Listening Unix stream sockets passed by systemd socket activation.
    static func fromSystemd() -> [Int32] {
        ListenFDs.take().map(\.fd).filter { fd in
            _ = fairway_set_nonblocking(fd)
            return ListenFDs.isUnixStreamListener(fd)
        }
    }

    /// Binds `path` with `mode`. A socket file nobody answers on is stale and
    /// removed; one that answers belongs to a running daemon and is an error,
    /// and so is one that cannot be checked (never removed on a guess).
    static func bind(path: String, mode: UInt32) throws(SystemCallError) -> Int32 {
        guard path.utf8.count < 108 else {
            throw SystemCallError(operation: "socket path \(path) is longer than 107 bytes", errno: ENAMETOOLONG)
        }
        try makeParentDirectory(of: path)
        var st = stat()
        if lstat(path, &st) == 0 {
            guard (st.st_mode & S_IFMT) == S_IFSOCK else {
                throw SystemCallError(operation: "\(path) exists and is not a socket", errno: EEXIST)
            }
            switch probe(path) {
            case .stale:
                unlink(path)
            case .live:
                throw SystemCallError(operation: "another fairwayd answers on \(path)", errno: EADDRINUSE)
            case .unknown(let e):
                throw SystemCallError(operation: "\(path) exists and cannot be checked (does another fairwayd use it?)", errno: e)
            }
        }
        let fd = try syscall("socket") { socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0) }
        do {
            var addr = address(path)
            try syscall("binding \(path)") {
                withUnsafePointer(to: &addr) { p in
                    p.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
                }
            }
            try syscall("chmod \(String(mode, radix: 8)) \(path)") { chmod(path, mode_t(mode)) }
            try syscall("listening on \(path)") { listen(fd, 1024) }
        } catch {
            close(fd)
            throw error
        }
        return fd
    }

    static func address(_ path: String) -> sockaddr_un {
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            let bytes = Array(path.utf8)
            for (i, b) in bytes.enumerated() where i < raw.count - 1 { raw[i] = b }
        }
        return addr
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

    /// Connects to `path` without blocking to see whether something listens.
    static func probe(_ path: String) -> Probe {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard fd >= 0 else { return .unknown(errno) }
        defer { close(fd) }
        var addr = address(path)
        let r = withUnsafePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        if r == 0 { return .live }
        switch errno {
        case ECONNREFUSED, ENOENT: return .stale
        case EAGAIN, EINPROGRESS: return .live
        case let e: return .unknown(e)
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
