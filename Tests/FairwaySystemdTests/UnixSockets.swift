import Glibc

/// Small socket helpers for the tests: binding, listening, receiving.
enum UnixSockets {
    /// A `sockaddr_un` for `path`.
    static func address(_ path: String) throws -> sockaddr_un {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            throw TestFailure("socket path too long: \(path)")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        return address
    }

    /// A new `AF_UNIX` socket of `type` bound to `path`.
    static func bound(_ path: String, type: Int32) throws -> Int32 {
        let fd = socket(AF_UNIX, type | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw TestFailure("socket: errno \(errno)") }
        var address = try address(path)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard result == 0 else {
            let saved = errno
            close(fd)
            throw TestFailure("bind \(path): errno \(saved)")
        }
        return fd
    }

    /// A datagram socket bound to `path`, with a receive timeout of `seconds`.
    static func datagramReceiver(_ path: String, timeoutSeconds: Int = 5) throws -> Int32 {
        let fd = try bound(path, type: Int32(SOCK_DGRAM.rawValue))
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        return fd
    }

    /// Receives one datagram as text; throws after the receive timeout.
    static func receiveText(_ fd: Int32) throws -> String {
        var buffer = [UInt8](repeating: 0, count: 65536)
        let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard count >= 0 else { throw TestFailure("recv: errno \(errno)") }
        return String(decoding: buffer[..<count], as: UTF8.self)
    }

    /// `true` when a datagram is waiting on `fd`.
    static func hasPending(_ fd: Int32) -> Bool {
        var byte: UInt8 = 0
        return recv(fd, &byte, 1, Int32(MSG_PEEK | MSG_DONTWAIT)) >= 0
    }

    /// A stream socket bound to `path` and listening.
    static func streamListener(_ path: String) throws -> Int32 {
        let fd = try bound(path, type: Int32(SOCK_STREAM.rawValue))
        guard listen(fd, 16) == 0 else {
            close(fd)
            throw TestFailure("listen: errno \(errno)")
        }
        return fd
    }
}
