import Glibc

/// A failed system call: the call's name (or what was being done with it)
/// and the `errno` it set. Matching is by ``errno``; ``operation`` is for
/// people reading a log line.
public struct SystemCallError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The call, or what was being done: `epoll_ctl`, `binding /run/fairway.sock`.
    public var operation: String
    /// The `errno` value (positive).
    public var errno: Int32

    /// An error for `operation` with `errno` (stored positive whatever its sign).
    public init(operation: String, errno: Int32) {
        self.operation = operation
        self.errno = errno < 0 ? -errno : errno
    }

    /// `"<operation>: <strerror>"`.
    public var description: String { "\(operation): \(Self.describe(errno))" }

    /// `strerror(errno)` as a Swift string.
    public static func describe(_ errno: Int32) -> String {
        String(cString: strerror(errno))
    }
}

/// Runs a system call that returns -1 and sets `errno` on failure, retrying
/// while it fails with `EINTR`; throws ``SystemCallError`` naming
/// `operation` for any other failure and returns the result otherwise.
///
/// Not for `close(2)`, which must not be retried (see ``FileDescriptor/close()``).
@discardableResult
public func syscall<T: FixedWidthInteger>(
    _ operation: @autoclosure () -> String, _ body: () -> T
) throws(SystemCallError) -> T {
    while true {
        let r = body()
        if r == -1 {
            let e = Glibc.errno
            if e == EINTR { continue }
            throw SystemCallError(operation: operation(), errno: e)
        }
        return r
    }
}

/// Runs a call that returns 0 or a positive error number instead of setting
/// `errno` (the `pthread_*` family), and throws on an error number.
public func syscallReturningError(
    _ operation: @autoclosure () -> String, _ body: () -> Int32
) throws(SystemCallError) {
    let r = body()
    if r != 0 { throw SystemCallError(operation: operation(), errno: r) }
}
