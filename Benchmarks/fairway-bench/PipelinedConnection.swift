// A client connection that keeps several requests in flight and times their answers.

import FairwayPOSIX
import CFairwayShim
import FairwayProtocol
import Glibc

/// One request on the wire and how many answer lines complete it: one for a
/// Fairway request, one per `put` for a beanstalkd batch.
struct WireRequest: Sendable {
    var bytes: [UInt8]
    var answerLines: Int
}

/// When each request of a pipelined exchange was answered.
struct PipelineTiming: Sendable {
    /// Monotonic time the first byte was sent.
    var started: Double
    /// Monotonic time the last answer line arrived.
    var finished: Double
    /// Seconds from sending each request's first byte to its last answer line.
    var roundTrips: [Double]

    var seconds: Double { finished - started }
}

/// A non-blocking stream socket (Unix or TCP) used by one thread.
final class PipelinedConnection {
    private let fd: Int32
    let peer: String
    private var framer = LineFramer(maxLineLength: 1 << 26)
    private var incoming = [UInt8](repeating: 0, count: 1 << 18)
    /// Longest wait without any progress.
    var timeoutSeconds = 300

    private init(fd: Int32, peer: String) {
        self.fd = fd
        self.peer = peer
    }

    deinit { close(fd) }

    /// Connects to a Unix stream socket.
    static func unix(_ path: String) throws(BenchError) -> PipelinedConnection {
        try? IgnoredSignal.ignore(SIGPIPE)  // cannot fail for SIGPIPE; sends use MSG_NOSIGNAL as well
        do {
            let socket = try UnixSocket.connect(to: try UnixSocketAddress(path: path))
            try socket.setNonBlocking()
            return PipelinedConnection(fd: socket.release(), peer: path)
        } catch {
            throw BenchError("connect \(path): \(error)")
        }
    }

    /// Connects to 127.0.0.1:`port` over TCP (Nagle off).
    static func tcp(port: UInt16) throws(BenchError) -> PipelinedConnection {
        try? IgnoredSignal.ignore(SIGPIPE)  // cannot fail for SIGPIPE; sends use MSG_NOSIGNAL as well
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        return try finish(fd: fd, rc: rc, peer: "127.0.0.1:\(port)")
    }

    private static func finish(fd: Int32, rc: Int32, peer: String) throws(BenchError) -> PipelinedConnection {
        guard fd >= 0, rc == 0, fairway_set_nonblocking(fd) == 0 else {
            let e = errno
            if fd >= 0 { close(fd) }
            throw BenchError("connect \(peer): \(String(cString: strerror(e)))")
        }
        return PipelinedConnection(fd: fd, peer: peer)
    }

    /// Sends `requests` in order with at most `depth` of them unanswered, and
    /// calls `check` with each answer line (request index, line) as it
    /// arrives; `check` throws to stop on a wrong answer.
    func pipeline(
        _ requests: [WireRequest], depth: Int, check: (Int, [UInt8]) throws(BenchError) -> Void
    ) throws(BenchError) -> PipelineTiming {
        var sentAt = [Double](repeating: 0, count: requests.count)
        var roundTrips = [Double](repeating: 0, count: requests.count)
        var sending = 0  // request being written
        var offset = 0  // bytes of it written
        var answering = 0  // request whose answer lines are arriving
        var linesLeft = requests.first?.answerLines ?? 0
        let started = MonotonicClock.seconds()
        var finished = started
        // Write at once (the socket is nearly always writable), then poll.
        try write(requests, &sending, &offset, &sentAt, limit: depth)
        while answering < requests.count {
            let wantsWrite = sending < requests.count && sending - answering < depth
            var poller = pollfd(fd: fd, events: Int16(POLLIN) | (wantsWrite ? Int16(POLLOUT) : 0), revents: 0)
            let ready = poll(&poller, 1, Int32(timeoutSeconds * 1000))
            if ready < 0 && errno == EINTR { continue }
            guard ready > 0 else { throw BenchError("\(peer): no progress for \(timeoutSeconds) s (request \(answering))") }
            if wantsWrite && poller.revents & Int16(POLLOUT) != 0 {
                try write(requests, &sending, &offset, &sentAt, limit: answering + depth)
            }
            guard poller.revents & (Int16(POLLIN) | Int16(POLLHUP) | Int16(POLLERR)) != 0 else { continue }
            let n = incoming.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n < 0 {
                if errno == EAGAIN || errno == EINTR { continue }
                throw BenchError("\(peer): recv: \(String(cString: strerror(errno)))")
            }
            guard n > 0 else { throw BenchError("\(peer) closed the connection at request \(answering)") }
            let now = MonotonicClock.seconds()
            incoming.withUnsafeBytes { framer.append(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
            while answering < requests.count, let frame = framer.next() {
                guard case .line(let line) = frame else { throw BenchError("\(peer): answer line too long") }
                try check(answering, line)
                linesLeft -= 1
                if linesLeft == 0 {
                    roundTrips[answering] = now - sentAt[answering]
                    finished = now
                    answering += 1
                    if answering < requests.count { linesLeft = requests[answering].answerLines }
                }
            }
        }
        return PipelineTiming(started: started, finished: finished, roundTrips: roundTrips)
    }

    /// Writes as much as the socket takes, starting requests up to `limit`.
    private func write(
        _ requests: [WireRequest], _ sending: inout Int, _ offset: inout Int, _ sentAt: inout [Double], limit: Int
    ) throws(BenchError) {
        while sending < requests.count && sending < limit {
            if offset == 0 { sentAt[sending] = MonotonicClock.seconds() }
            let n = requests[sending].bytes.withUnsafeBytes { buffer in
                send(fd, buffer.baseAddress! + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
            }
            if n < 0 {
                if errno == EAGAIN || errno == EINTR { return }
                throw BenchError("\(peer): send: \(String(cString: strerror(errno)))")
            }
            offset += n
            if offset < requests[sending].bytes.count { return }
            sending += 1
            offset = 0
        }
    }

    /// Sends one request and waits for its one answer line; returns the line
    /// and the round-trip time in seconds.
    func roundTrip(_ bytes: [UInt8]) throws(BenchError) -> (line: [UInt8], seconds: Double) {
        var line: [UInt8] = []
        let timing = try pipeline([WireRequest(bytes: bytes, answerLines: 1)], depth: 1) { _, l throws(BenchError) in line = l }
        return (line, timing.roundTrips[0])
    }
}
