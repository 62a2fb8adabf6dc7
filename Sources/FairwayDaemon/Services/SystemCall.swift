import Glibc

/// A failed system call: what was being done and errno.
public struct SystemCallError: Error, Sendable, CustomStringConvertible {
    /// What the daemon was doing.
    public var operation: String
    /// The errno value.
    public var errno: Int32

    public var description: String { "\(operation): \(String(cString: strerror(errno)))" }
}

/// Runs a system call, retrying on EINTR; throws with errno on -1.
@discardableResult
func syscall<T: FixedWidthInteger>(_ operation: @autoclosure () -> String, _ body: () -> T) throws(SystemCallError) -> T {
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

/// The wall clock as a `Timestamp`: the one place the daemon reads it.
func wallClockMilliseconds() -> Int64 {
    var ts = timespec()
    clock_gettime(CLOCK_REALTIME, &ts)
    return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
}

/// Monotonic seconds, for timers.
func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// Writes all of `text` to standard error, unbuffered.
func writeStderr(_ text: String) {
    var t = text
    t.withUTF8 { buf in
        var off = 0
        while off < buf.count {
            let n = write(2, buf.baseAddress! + off, buf.count - off)
            if n <= 0 {
                if n == -1 && errno == EINTR { continue }
                return
            }
            off += n
        }
    }
}
