// A blocking-style connection to fairwayd's Unix socket: send lines, read answer lines.

import CFairwayShim
import FairwayPOSIX
import FairwayProtocol
import Glibc

/// A connection to the daemon's Unix stream socket.
///
/// Requests are newline-terminated JSON lines; answers come back one line each,
/// in request order. ``exchange(_:expecting:reply:)`` pipelines: it writes the
/// requests while reading answers as they arrive (so a daemon that stops
/// reading until its answers are drained cannot deadlock the client), and
/// returns once the expected number of answer lines has come. Each wait is
/// bounded by the timeout; any progress restarts it. Answer lines that
/// arrive ahead of their exchange wait in the connection for the next one.
///
/// Not thread-safe: use one connection from one thread.
public final class ClientConnection {
    /// The socket path it is connected to.
    public let path: String
    /// The longest wait without progress, in seconds (for the exchanges that follow a change).
    public var timeoutSeconds: Int
    private let socket: FileDescriptor
    private var fd: Int32 { socket.rawValue }
    private var framer = LineFramer(maxLineLength: 1 << 28)

    /// The socket's descriptor, to poll it or ask the kernel about it; the
    /// connection still owns it.
    public var descriptor: Int32 { fd }

    private init(fd: FileDescriptor, path: String, timeoutSeconds: Int) {
        socket = fd
        self.path = path
        self.timeoutSeconds = timeoutSeconds
    }

    /// Connects to the daemon's socket at `path`.
    ///
    /// `SIGPIPE` is set to be ignored for the process (writes use
    /// `MSG_NOSIGNAL` anyway).
    public static func connect(to path: String, timeoutSeconds: Int = 60) throws(ConnectionError) -> ClientConnection {
        try? IgnoredSignal.ignore(SIGPIPE)  // cannot fail for SIGPIPE; sends use MSG_NOSIGNAL as well
        do {
            let socket = try UnixSocket.connect(to: try UnixSocketAddress(path: path))
            try socket.setNonBlocking()
            return ClientConnection(fd: socket, path: path, timeoutSeconds: timeoutSeconds)
        } catch {
            throw ConnectionError(kind: .connect, path: path, errorNumber: error.errno)
        }
    }

    /// Sends one request line (a newline is added when missing) and returns the answer line.
    public func request(_ line: [UInt8]) throws(ConnectionError) -> [UInt8] {
        var bytes = line
        if bytes.last != 0x0A { bytes.append(0x0A) }
        var answer: [UInt8] = []
        try exchange([bytes], expecting: 1) { _, line in answer = line }
        return answer
    }

    /// Writes `chunks` in order and reads `count` answer lines, calling `reply`
    /// with each answer's 0-based index and text (without its newline) as it
    /// arrives. It returns once every chunk is written and `count` answers
    /// have come: a `count` of 0 only writes, no chunks only reads. Chunks are
    /// bytes as they go on the wire (whole request lines for a client; a
    /// test may split a line).
    ///
    /// Throws when the daemon closes the connection, a read or write fails, or
    /// nothing moves for the timeout; the answers delivered before that stand.
    /// When the daemon stops reading (it closed its side after an error), the
    /// client keeps reading what it did answer.
    public func exchange(
        _ chunks: [[UInt8]], expecting count: Int, reply: (_ index: Int, _ line: [UInt8]) -> Void
    ) throws(ConnectionError) {
        var chunkIndex = 0
        var sent = 0
        var received = 0
        var sendFailure: Int32 = 0
        var incoming = [UInt8](repeating: 0, count: 65536)
        while true {
            // Answers already read (by this exchange or an earlier one) first.
            while received < count, let frame = framer.next() {
                switch frame {
                case .line(let line):
                    reply(received, line)
                    received += 1
                case .tooLong:
                    throw ConnectionError(kind: .replyTooLong, path: path)
                }
            }
            while chunkIndex < chunks.count && sent == chunks[chunkIndex].count {
                chunkIndex += 1
                sent = 0
            }
            let unsent = chunkIndex < chunks.count
            let wantsWrite = unsent && sendFailure == 0
            let wantsRead = received < count
            if !wantsRead {
                if !unsent { return }
                // Only writing, and a write failed.
                if sendFailure != 0 { break }
            }
            var poller = pollfd(
                fd: fd, events: (wantsRead ? Int16(POLLIN) : 0) | (wantsWrite ? Int16(POLLOUT) : 0), revents: 0)
            let ready = poll(&poller, 1, Int32(clamping: timeoutSeconds * 1000))
            if ready < 0 {
                if errno == EINTR { continue }
                throw ConnectionError(kind: .receive, path: path, errorNumber: errno)
            }
            if ready == 0 { throw ConnectionError(kind: .timedOut, path: path, timeoutSeconds: timeoutSeconds) }
            if wantsWrite && poller.revents & (Int16(POLLOUT) | Int16(POLLERR) | Int16(POLLHUP)) != 0 {
                let n = chunks[chunkIndex].withUnsafeBytes { buffer in
                    send(fd, buffer.baseAddress! + sent, min(buffer.count - sent, 1 << 20), Int32(MSG_NOSIGNAL))
                }
                if n > 0 {
                    sent += n
                } else if n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR {
                    sendFailure = errno
                }
            }
            guard wantsRead, poller.revents & (Int16(POLLIN) | Int16(POLLHUP) | Int16(POLLERR)) != 0 else { continue }
            let n = incoming.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n < 0 {
                if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { continue }
                // A reset is the daemon closing with our requests unread.
                if errno == ECONNRESET { throw ConnectionError(kind: .closed, path: path) }
                throw ConnectionError(kind: .receive, path: path, errorNumber: errno)
            }
            if n == 0 {
                // A send that failed because the daemon had closed its side
                // (EPIPE, ECONNRESET) says no more than the close itself.
                if sendFailure != 0 && sendFailure != EPIPE && sendFailure != ECONNRESET {
                    throw ConnectionError(kind: .send, path: path, errorNumber: sendFailure)
                }
                throw ConnectionError(kind: .closed, path: path)
            }
            incoming.withUnsafeBytes { framer.append(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
        }
        if sendFailure == EPIPE || sendFailure == ECONNRESET { throw ConnectionError(kind: .closed, path: path) }
        throw ConnectionError(kind: .send, path: path, errorNumber: sendFailure)
    }

    /// The next line the daemon sends (without its newline), waiting as
    /// long as it takes (a stream such as `watch`), or nil once the daemon
    /// has closed the connection after its last whole line.
    public func nextLine() throws(ConnectionError) -> [UInt8]? {
        var incoming = [UInt8](repeating: 0, count: 65536)
        while true {
            if let frame = framer.next() {
                switch frame {
                case .line(let line): return line
                case .tooLong: throw ConnectionError(kind: .replyTooLong, path: path)
                }
            }
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            if poll(&poller, 1, -1) < 0 {
                if errno == EINTR { continue }
                throw ConnectionError(kind: .receive, path: path, errorNumber: errno)
            }
            let n = incoming.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n < 0 {
                if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { continue }
                if errno == ECONNRESET { return nil }
                throw ConnectionError(kind: .receive, path: path, errorNumber: errno)
            }
            if n == 0 { return nil }
            incoming.withUnsafeBytes { framer.append(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
        }
    }
}
