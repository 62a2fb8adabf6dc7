import Glibc

/// Standard error, written unbuffered.
public enum StandardError {
    /// Writes all of `text`, retrying short writes and `EINTR`. Returns
    /// false when the descriptor refused it (closed, a full pipe that is
    /// non-blocking): there is nowhere left to report that, so callers that
    /// only log may ignore it.
    @discardableResult
    public static func write(_ text: String) -> Bool {
        var t = text
        return t.withUTF8 { buf in
            var off = 0
            while off < buf.count {
                let rest = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(buf)[off...])
                guard let n = try? syscall("write", { Glibc.write(STDERR_FILENO, rest.baseAddress, rest.count) }), n > 0 else {
                    return false
                }
                off += n
            }
            return true
        }
    }
}
