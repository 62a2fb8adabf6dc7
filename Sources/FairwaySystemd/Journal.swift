internal import CSystemd
import FairwayPOSIX
import Glibc

/// Writes structured entries to journald with `sd_journal_sendv`.
///
/// Each field goes out as one `NAME=value` vector; `sd_journal_sendv` switches
/// to the journal's length-prefixed form for values that contain line breaks,
/// so any text survives intact. Entries larger than one datagram are passed to
/// journald in a memfd by libsystemd itself.
public enum Journal {
    /// The path of journald's native protocol socket.
    public static let socketPath = "/run/systemd/journal/socket"

    /// Sends one entry made of `fields`, in order. Without `SYSLOG_IDENTIFIER`
    /// libsystemd adds the program's name.
    ///
    /// Builds the vectors in one temporary buffer (on the stack when small),
    /// without Foundation.
    ///
    /// - Returns: 0 when journald took the entry, otherwise a negative errno:
    ///   `-EINVAL` for no fields or a name that ``JournalEntry/isValidFieldName(_:)``
    ///   rejects; `-ENOENT` or `-ECONNREFUSED` when journald is not running.
    @discardableResult
    public static func send(_ fields: [(name: String, value: String)]) -> Int32 {
        sendv(head: EmptyCollection(), tail: fields)
    }

    /// Sends an entry with `MESSAGE`, `PRIORITY`, the given `fields`, and the
    /// caller's source location as `CODE_FILE`, `CODE_LINE` and `CODE_FUNC`.
    ///
    /// - Returns: 0, or a negative errno as for ``send(_:)``.
    @discardableResult
    public static func send(
        message: String,
        priority: JournalPriority = .info,
        fields: [(name: String, value: String)] = [],
        file: String = #fileID,
        line: Int = #line,
        function: String = #function
    ) -> Int32 {
        let head: [(name: String, value: String)] = [
            (name: "MESSAGE", value: message),
            (name: "PRIORITY", value: priority.fieldValue),
            (name: "CODE_FILE", value: file),
            (name: "CODE_LINE", value: String(line)),
            (name: "CODE_FUNC", value: function),
        ]
        return sendv(head: head, tail: fields)
    }

    /// `true` when journald is there to take entries: standard error is the
    /// journal stream named by `JOURNAL_STREAM` (`<device>:<inode>`), or
    /// ``socketPath`` is a socket that accepts a connection (a socket file left
    /// behind by a journald that has exited does not count).
    ///
    /// Makes a few system calls; callers that log often should ask once.
    public static var isAvailable: Bool {
        stderrIsJournalStream() || socketAcceptsConnections(socketPath)
    }

    // MARK: - Internals

    /// Validates the names, lays out every `NAME=value` in one buffer, and
    /// calls `sd_journal_sendv`.
    static func sendv<Head: Collection>(
        head: Head, tail: [(name: String, value: String)]
    ) -> Int32 where Head.Element == (name: String, value: String) {
        let count = head.count + tail.count
        guard count > 0, count <= 1 << 20 else { return -EINVAL }
        var totalBytes = 0
        for field in head {
            guard JournalEntry.isValidFieldName(field.name) else { return -EINVAL }
            totalBytes += field.name.utf8.count + 1 + field.value.utf8.count
        }
        for field in tail {
            guard JournalEntry.isValidFieldName(field.name) else { return -EINVAL }
            totalBytes += field.name.utf8.count + 1 + field.value.utf8.count
        }
        return withUnsafeTemporaryAllocation(of: iovec.self, capacity: count) { vectors in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: totalBytes) { bytes in
                var offset = 0
                var index = 0
                func lay(_ field: (name: String, value: String)) {
                    let start = offset
                    offset = UnsafeMutableBufferPointer(rebasing: bytes[offset...])
                        .initialize(fromContentsOf: field.name.utf8) + offset
                    bytes[offset] = UInt8(ascii: "=")
                    offset += 1
                    offset = UnsafeMutableBufferPointer(rebasing: bytes[offset...])
                        .initialize(fromContentsOf: field.value.utf8) + offset
                    vectors.initializeElement(
                        at: index,
                        to: iovec(iov_base: UnsafeMutableRawPointer(bytes.baseAddress! + start), iov_len: offset - start))
                    index += 1
                }
                for field in head { lay(field) }
                for field in tail { lay(field) }
                let result = sd_journal_sendv(UnsafePointer(vectors.baseAddress), Int32(count))
                _ = vectors.deinitialize()
                _ = bytes.deinitialize()
                return result
            }
        }
    }

    /// `JOURNAL_STREAM` parsed as `<device>:<inode>` matches `fstat(2)`.
    static func stderrIsJournalStream() -> Bool {
        guard let raw = getenv("JOURNAL_STREAM") else { return false }
        let text = String(cString: raw)
        guard let colon = text.firstIndex(of: ":"),
              let device = UInt64(text[..<colon]),
              let inode = UInt64(text[text.index(after: colon)...])
        else { return false }
        var info = stat()
        guard fstat(STDERR_FILENO, &info) == 0 else { return false }
        return UInt64(info.st_dev) == device && UInt64(info.st_ino) == inode
    }

    /// `path` is a socket and a datagram `connect(2)` to it succeeds.
    static func socketAcceptsConnections(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFSOCK else { return false }
        guard let address = try? UnixSocketAddress(path: path) else { return false }
        return (try? UnixSocket.connect(to: address, .datagram)) != nil
    }
}
