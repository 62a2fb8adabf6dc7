public import Glibc

/// The address of a Unix domain socket: a path of at most
/// ``maxPathBytes`` bytes, laid out as `sockaddr_un` for `bind`/`connect`.
public struct UnixSocketAddress: Sendable, Hashable, CustomStringConvertible {
    /// The socket's path.
    public let path: String

    /// The longest path `sockaddr_un` holds, without its terminating zero.
    public static let maxPathBytes = MemoryLayout.size(ofValue: sockaddr_un().sun_path) - 1

    /// An address for `path`; throws `ENOENT` for an empty path and
    /// `ENAMETOOLONG` for one longer than ``maxPathBytes``.
    public init(path: String) throws(SystemCallError) {
        guard !path.utf8.isEmpty else {
            throw SystemCallError(operation: "socket path is empty", errno: ENOENT)
        }
        guard path.utf8.count <= Self.maxPathBytes else {
            throw SystemCallError(operation: "socket path \(path) is longer than \(Self.maxPathBytes) bytes", errno: ENAMETOOLONG)
        }
        self.path = path
    }

    public var description: String { path }

    /// Calls `body` with the address as a `sockaddr` and its length.
    public func withSockAddr<R, E: Error>(
        _ body: (UnsafePointer<sockaddr>, socklen_t) throws(E) -> R
    ) throws(E) -> R {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: path.utf8)  // the rest stays zero: terminated
        }
        let result: Result<R, E> = withUnsafePointer(to: &address) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                do throws(E) {
                    return .success(try body(sa, socklen_t(MemoryLayout<sockaddr_un>.size)))
                } catch {
                    return .failure(error)
                }
            }
        }
        return try result.get()
    }
}
