import FairwayPOSIX
import CFairwayShim
import FairwayCore
import FairwayProtocol
import FairwaySystemd
import Glibc

/// The I/O thread: accepts connections, reads and frames request lines,
/// decodes them and hands them to the state owner in order, and writes the
/// answers back. Also turns signals into stop and reload.
final class EventLoop {
    private let epfd: Int32
    private var listeners: [Int32]
    private let signalFD: Int32
    private let outbox: Outbox
    private let mailbox: Mailbox
    private let log: EventLog
    private let notifier = SystemdNotifier()
    private var limits: FairwayConfig.Limits
    private var accessControl: AccessControl
    private let reloadConfig: () -> Result<FairwayConfig, ConfigError>
    private var connections: [Int: Connection] = [:]
    private var nextID = 1
    private var stopping = false
    private var stopDeadline = 0.0
    private var jobs: [Job] = []
    /// Items for the decoder thread, handed over with `jobs`.
    private var decoderItems: [LineDecoder.Item] = []
    private let decoder: LineDecoder
    /// Bytes of requests read and not yet answered, over all connections.
    private var pendingBytes = 0

    /// Most requests in flight per connection before reading pauses.
    static let maxInflight = 4096
    /// Unsent output per connection above which reading pauses.
    static let pauseOutputBytes = 4 << 20
    /// Unsent output per connection above which the client is disconnected.
    static let maxOutputBytes = 64 << 20

    /// Bytes read from one connection per wake-up: one client's clump is
    /// taken in pieces, between which the others are served.
    static let readBudget = 256 << 10

    /// The time slice the I/O thread asks for, in nanoseconds: shorter than
    /// the default, so it preempts bulk work when a request arrives.
    static let timeSlice: UInt64 = 100_000

    private static let tagListener: UInt64 = 1 << 40
    private static let tagSignal: UInt64 = 2 << 40
    private static let tagWake: UInt64 = 3 << 40

    init(listeners: [Int32], signalFD: Int32, mailbox: Mailbox, outbox: Outbox, log: EventLog,
         limits: FairwayConfig.Limits, access: FairwayConfig.Access, reloadConfig: @escaping () -> Result<FairwayConfig, ConfigError>) throws(SystemCallError) {
        epfd = try syscall("epoll_create1") { epoll_create1(Int32(EPOLL_CLOEXEC)) }
        self.listeners = listeners
        self.signalFD = signalFD
        self.mailbox = mailbox
        decoder = LineDecoder(mailbox: mailbox)
        self.outbox = outbox
        self.log = log
        self.limits = limits
        accessControl = AccessControl(access)
        self.reloadConfig = reloadConfig
        for fd in listeners { try add(fd, events: EPOLLIN.rawValue, tag: Self.tagListener | UInt64(fd)) }
        try add(signalFD, events: EPOLLIN.rawValue, tag: Self.tagSignal)
        try add(outbox.wakeFD, events: EPOLLIN.rawValue, tag: Self.tagWake)
    }

    private func add(_ fd: Int32, events: UInt32, tag: UInt64) throws(SystemCallError) {
        var ev = epoll_event()
        ev.events = events
        ev.data.u64 = tag
        try syscall("epoll_ctl add") { epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) }
    }

    private func update(_ c: Connection) {
        var events: UInt32 = 0
        if !c.readClosed && !c.paused { events |= EPOLLIN.rawValue | EPOLLRDHUP.rawValue }
        if c.wantsWrite { events |= EPOLLOUT.rawValue }
        var ev = epoll_event()
        ev.events = events
        ev.data.u64 = UInt64(c.id)
        epoll_ctl(epfd, EPOLL_CTL_MOD, c.fd, &ev)
    }

    /// Runs until a stop has been asked for and everything is answered.
    func run() {
        if fairway_request_short_slices(Self.timeSlice) != 0 {
            log.log("short time slices not granted (\(String(cString: strerror(errno)))); lookups may wait longer under load", priority: .info)
        }
        var events = [epoll_event](repeating: epoll_event(), count: 256)
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = epoll_wait(epfd, &events, Int32(events.count), stopping ? 100 : 1000)
            if n < 0 && errno != EINTR {
                log.log("epoll_wait failed: \(String(cString: strerror(errno)))", priority: .crit)
                return
            }
            for i in 0..<max(Int(n), 0) {
                let tag = events[i].data.u64
                let flags = events[i].events
                switch tag {
                case Self.tagSignal: handleSignals()
                case Self.tagWake: deliverAnswers()
                case _ where tag & Self.tagListener != 0: accept(Int32(truncatingIfNeeded: tag & 0xFFFF_FFFF))
                default:
                    guard let c = connections[Int(tag)] else { continue }
                    if flags & (EPOLLIN.rawValue | EPOLLRDHUP.rawValue | EPOLLHUP.rawValue | EPOLLERR.rawValue) != 0 {
                        read(c, into: &buffer)
                    }
                    if flags & EPOLLOUT.rawValue != 0, connections[c.id] != nil { flush(c) }
                    // Both directions closed: nobody is left to answer.
                    if flags & (EPOLLHUP.rawValue | EPOLLERR.rawValue) != 0, connections[c.id] != nil { drop(c) }
                }
            }
            expirePartialLines()
            postJobs()
            if stopping {
                deliverAnswers()
                let drained = connections.values.allSatisfy { $0.pendingOutput == 0 }
                if outbox.isFinished && (drained || MonotonicClock.seconds() > stopDeadline) { return }
            }
        }
    }

    /// Queues a decoded request of `c` for the state owner, through the
    /// decoder when `c` uses it (to keep the connection's order).
    private func hand(_ job: Job, from c: Connection, bytes: Int) {
        if c.usesDecoder { decoderItems.append(.job(job)) } else { jobs.append(job) }
        c.sent(bytes: bytes)
        pendingBytes += bytes
    }

    /// Hands the decoded requests to the state owner, and the lines to decode to the decoder.
    private func postJobs() {
        if !jobs.isEmpty {
            mailbox.post(jobs)
            jobs.removeAll(keepingCapacity: true)
        }
        if !decoderItems.isEmpty {
            decoder.post(decoderItems)
            decoderItems.removeAll(keepingCapacity: true)
        }
    }

    /// Queues a stop or reload behind everything read so far (through the
    /// decoder, which may still hold lines read before it).
    private func handInOrder(_ job: Job) {
        postJobs()
        decoderItems.append(.job(job))
    }

    private func accept(_ listener: Int32) {
        while true {
            let fd = fairway_accept_nonblocking(listener)
            if fd < 0 {
                if errno == EINTR { continue }
                return
            }
            var pid: pid_t = 0, uid: uid_t = 0, gid: gid_t = 0
            _ = fairway_peer_credentials(fd, &pid, &uid, &gid)
            let peer = PeerIdentity(pid: pid, uid: uid, gid: gid, userName: Self.userName(uid))
            if connections.count >= limits.maxConnections || stopping {
                let why = stopping ? "fairwayd is stopping" : "too many connections (\(limits.maxConnections)); try again later"
                let line = ResponseEncoder.failure(id: nil, FairwayError(.unavailable, why))
                _ = line.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                close(fd)
                continue
            }
            let c = Connection(id: nextID, fd: fd, peer: peer, role: accessControl.role(of: peer), maxLine: limits.maxLineBytes)
            nextID += 1
            connections[c.id] = c
            do { try add(fd, events: EPOLLIN.rawValue | EPOLLRDHUP.rawValue, tag: UInt64(c.id)) } catch { drop(c) }
        }
    }

    static func userName(_ uid: uid_t) -> String? {
        var pwd = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buf = [CChar](repeating: 0, count: 1024)
        guard getpwuid_r(uid, &pwd, &buf, buf.count, &result) == 0, result != nil, let name = pwd.pw_name else { return nil }
        return String(cString: name)
    }

    private func read(_ c: Connection, into buffer: inout [UInt8]) {
        var budget = Self.readBudget
        while budget > 0 && !c.readClosed && !c.paused {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(c.fd, $0.baseAddress, $0.count) }
            if n == 0 {
                c.readClosed = true
                break
            }
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN || errno == EWOULDBLOCK { break }
                drop(c)
                return
            }
            budget -= n
            c.lastRead = MonotonicClock.seconds()
            buffer.withUnsafeBytes { c.framer.append(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
            while let frame = c.framer.next() {
                switch frame {
                case .line(let bytes):
                    if pendingBytes > 0 && pendingBytes + bytes.count > limits.maxPendingBytes {
                        // Overloaded: refuse without decoding, keep the answer in order.
                        let request = Request(id: nil, operation: .failure(FairwayError(.unavailable,
                            "fairwayd is overloaded (\(pendingBytes >> 20) MiB of requests waiting); nothing was done, retry in a moment")))
                        hand(.request(connection: c.id, request: request, peer: c.peer, closeAfter: false), from: c, bytes: 64)
                    } else if c.usesDecoder || bytes.count >= LineDecoder.longLine {
                        // Long lines are decoded on the decoder thread, and
                        // from then on all of this connection's, in order.
                        c.usesDecoder = true
                        decoderItems.append(.line(connection: c.id, bytes: bytes, peer: c.peer, role: c.role, maxBatch: limits.maxBatch))
                        c.sent(bytes: bytes.count)
                        pendingBytes += bytes.count
                    } else {
                        let request = c.role.authorize(RequestDecoder.decode(bytes, maxBatch: limits.maxBatch), peer: c.peer)
                        hand(.request(connection: c.id, request: request, peer: c.peer, closeAfter: false), from: c,
                             bytes: request.operation.isFailure ? 64 : bytes.count)
                    }
                case .tooLong:
                    let error = FairwayError(.lineTooLong, "a request line is longer than \(limits.maxLineBytes) bytes; closing the connection")
                    hand(.request(connection: c.id, request: Request(id: nil, operation: .failure(error)), peer: c.peer, closeAfter: true),
                         from: c, bytes: 64)
                    c.readClosed = true
                }
                if c.readClosed { break }
            }
            if c.inflight >= Self.maxInflight || c.pendingOutput >= Self.pauseOutputBytes { c.paused = true }
            // Hand over what this read completed before reading on: a lookup
            // on another connection should not wait for this one's next batch.
            postJobs()
        }
        if c.isFinished { drop(c) } else { update(c) }
    }

    private var lastExpiry = 0.0

    /// Disconnects clients that left half a line unsent for too long.
    private func expirePartialLines() {
        let now = MonotonicClock.seconds()
        guard now - lastExpiry >= 1 else { return }
        lastExpiry = now
        let limit = Double(limits.partialLineTimeout)
        for c in connections.values where c.framer.bufferedByteCount > 0 && now - c.lastRead > limit && !c.readClosed {
            log.log("disconnecting \(c.peer.actor): half a request line unsent for \(Int(limit)) s", priority: .warning)
            c.readClosed = true
            if c.inflight == 0 {
                let line = ResponseEncoder.failure(id: nil, FairwayError(.invalidArgument, "request line left unfinished for \(Int(limit)) s; closing"))
                c.output.append(contentsOf: line)
                c.closeAfterFlush = true
                flush(c)
            } else {
                update(c)
            }
        }
    }

    private func deliverAnswers() {
        eventfdDrain(outbox.wakeFD)
        if let config = outbox.takeAcceptedConfig() {
            limits = config.limits
            accessControl = AccessControl(config.access)
            for c in connections.values { c.role = accessControl.role(of: c.peer) }
        }
        var touched: [Int: Connection] = [:]
        for out in outbox.takeAll() {
            guard let c = connections[out.connection] else { continue }
            pendingBytes -= c.answered()
            c.output.append(contentsOf: out.bytes)
            if out.close { c.closeAfterFlush = true }
            touched[c.id] = c
        }
        for c in touched.values {
            flush(c)
            guard connections[c.id] != nil else { continue }
            if c.pendingOutput > Self.maxOutputBytes {
                log.log("disconnecting \(c.peer.actor): \(c.pendingOutput) bytes of answers unread", priority: .warning)
                drop(c)
            } else if c.paused && c.inflight < Self.maxInflight / 2 && c.pendingOutput < Self.pauseOutputBytes / 2 && !stopping {
                c.paused = false
                update(c)
            }
        }
    }

    private func flush(_ c: Connection) {
        while c.pendingOutput > 0 {
            let n = c.output.withUnsafeBytes { raw in
                send(c.fd, raw.baseAddress! + c.outputOffset, c.pendingOutput, Int32(MSG_NOSIGNAL) | Int32(MSG_DONTWAIT))
            }
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN || errno == EWOULDBLOCK { break }
                drop(c)
                return
            }
            c.outputOffset += n
        }
        if c.pendingOutput == 0 {
            c.output.removeAll(keepingCapacity: c.output.capacity <= 1 << 20)
            c.outputOffset = 0
        } else if c.outputOffset > 1 << 20 {
            c.output.removeFirst(c.outputOffset)
            c.outputOffset = 0
        }
        if c.isFinished {
            drop(c)
            return
        }
        let wants = c.pendingOutput > 0
        if wants != c.wantsWrite {
            c.wantsWrite = wants
            update(c)
        }
    }

    private func drop(_ c: Connection) {
        pendingBytes -= c.inflightBytes
        epoll_ctl(epfd, EPOLL_CTL_DEL, c.fd, nil)
        close(c.fd)
        connections[c.id] = nil
    }

    private func handleSignals() {
        var info = signalfd_siginfo()
        while Glibc.read(signalFD, &info, MemoryLayout<signalfd_siginfo>.size) == MemoryLayout<signalfd_siginfo>.size {
            switch Int32(info.ssi_signo) {
            case SIGTERM, SIGINT: beginStop(signal: Int32(info.ssi_signo))
            case SIGHUP: reload()
            default: break
            }
        }
    }

    private func beginStop(signal: Int32) {
        guard !stopping else { return }
        stopping = true
        stopDeadline = MonotonicClock.seconds() + 5
        _ = try? notifier.stopping()
        log.log("stopping on \(signal == SIGTERM ? "SIGTERM" : "SIGINT"): finishing requests in flight", event: "stopping")
        for fd in listeners {
            epoll_ctl(epfd, EPOLL_CTL_DEL, fd, nil)
            close(fd)
        }
        listeners = []
        for c in connections.values {
            c.readClosed = true
            if c.isFinished { drop(c) } else { update(c) }
        }
        handInOrder(.stop)
    }

    private func reload() {
        _ = try? notifier.reloading()
        switch reloadConfig() {
        case .success(let config):
            // Limits and access change here only once the owner has put the config in force.
            handInOrder(.reload(config))
        case .failure(let error):
            handInOrder(.reloadFailed(error))
        }
    }
}
