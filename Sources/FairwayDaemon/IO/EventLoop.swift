import CFairwayShim
import FairwayCore
import FairwayPOSIX
import FairwayProtocol
import FairwaySystemd
import Glibc

/// The I/O thread: accepts connections, reads and frames request lines,
/// decodes them and hands them to the state owner in order, and writes the
/// answers back. Also turns signals into stop and reload.
///
/// Whether a connection is read from is decided in one place, `settle`,
/// after every change to it (bytes read, answers delivered, output flushed):
/// see `ReadGate`.
final class EventLoop {
    private let epoll: Epoll
    private var listeners: [FileDescriptor]
    private let signals: SignalFD
    /// Readable when the I/O service is asked to stop (as SIGTERM would).
    private let stopRequest: EventFD
    private let outbox: Outbox
    private let mailbox: Mailbox
    private let log: EventLog
    private let notifier = SystemdNotifier()
    private var limits: FairwayConfig.Limits
    private var accessControl: AccessControl
    private let reloadConfig: () -> Result<FairwayConfig, ConfigError>
    private var connections: [Int: Connection] = [:]
    /// Who holds the connection slots (by role and user).
    private var slots = ConnectionSlots()
    private var nextID = 1
    private var stopping = false
    private var stopDeadline = 0.0
    private var jobs: [Job] = []
    /// Items for the decoder thread, handed over with `jobs`.
    private var decoderItems: [LineDecoder.Item] = []
    private let decoder: LineDecoder
    /// Bytes of requests read and not yet answered, over all connections.
    private var pendingBytes = 0
    /// Connections that `watch`, fed from `outbox.watchers`.
    private var watching: Set<Int> = []
    /// Whether the watchers were closed after the owner finished (on stop).
    private var watchersClosed = false
    #if DEBUG
    private let credentialsHook = TestCredentialsHook.fromEnvironment()
    #endif

    /// Unsent output per connection above which the client is disconnected:
    /// it stopped reading while its answers piled up.
    static let maxOutputBytes = 64 << 20
    /// The bound in force: `maxOutputBytes`, or in a debug build the test hook's.
    private let maxOutputBytes: Int

    /// Bytes read from one connection per wake-up: one client's clump is
    /// taken in pieces, between which the others are served.
    static let readBudget = 256 << 10

    /// The time slice the I/O thread asks for, in nanoseconds: shorter than
    /// the default, so it preempts bulk work when a request arrives.
    static let timeSlice: UInt64 = 100_000

    private static let tagListener: UInt64 = 1 << 40
    private static let tagSignal: UInt64 = 2 << 40
    private static let tagWake: UInt64 = 3 << 40
    private static let tagStop: UInt64 = 4 << 40

    init(listeners: [FileDescriptor], signals: SignalFD, stopRequest: EventFD, decoder: LineDecoder, mailbox: Mailbox, outbox: Outbox, log: EventLog,
         limits: FairwayConfig.Limits, access: FairwayConfig.Access, reloadConfig: @escaping () -> Result<FairwayConfig, ConfigError>) throws(SystemCallError) {
        epoll = try Epoll()
        self.listeners = listeners
        self.signals = signals
        self.stopRequest = stopRequest
        self.mailbox = mailbox
        self.decoder = decoder
        self.outbox = outbox
        self.log = log
        self.limits = limits
        accessControl = AccessControl(access)
        self.reloadConfig = reloadConfig
        #if DEBUG
        maxOutputBytes = TestOutputBoundHook.fromEnvironment() ?? Self.maxOutputBytes
        #else
        maxOutputBytes = Self.maxOutputBytes
        #endif
        for (i, fd) in listeners.enumerated() { try epoll.add(fd.rawValue, .readable, tag: Self.tagListener | UInt64(i)) }
        try epoll.add(signals.descriptor.rawValue, .readable, tag: Self.tagSignal)
        try epoll.add(outbox.wake.descriptor.rawValue, .readable, tag: Self.tagWake)
        try epoll.add(stopRequest.descriptor.rawValue, .readable, tag: Self.tagStop)
    }

    /// Runs until a stop has been asked for and everything is answered.
    func run() {
        if fairway_request_short_slices(Self.timeSlice) != 0 {
            log.log("short time slices not granted (\(SystemCallError.describe(errno))); lookups may wait longer under load", priority: .info)
        }
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let events: [Epoll.Event]
            do {
                events = try epoll.wait(timeoutMilliseconds: stopping ? 100 : 1000)
            } catch {
                log.log("\(error)", priority: .crit)
                return
            }
            for event in events {
                let tag = event.tag
                switch tag {
                case Self.tagSignal: handleSignals()
                case Self.tagWake: deliverAnswers()
                case Self.tagStop:
                    stopRequest.drain()
                    beginStop(because: "the daemon's own request")
                case _ where tag & Self.tagListener != 0:
                    let index = Int(tag & 0xFFFF_FFFF)
                    if index < listeners.count { accept(listeners[index]) }
                default:
                    guard let c = connections[Int(tag)] else { continue }
                    if !event.events.isDisjoint(with: [.readable, .readHangup, .hangup, .error]) {
                        read(c, into: &buffer)
                    }
                    if event.events.contains(.writable), connections[c.id] != nil { flush(c) }
                    // Both directions closed: nobody is left to answer.
                    if !event.events.isDisjoint(with: [.hangup, .error]), connections[c.id] != nil { drop(c) }
                }
            }
            expirePartialLines()
            postJobs()
            if stopping {
                // Finished before the answers are taken: then every answer and event is among them.
                let ownerFinished = outbox.isFinished
                deliverAnswers()
                if ownerFinished && !watchersClosed { closeWatchers() }
                let drained = connections.values.allSatisfy { $0.pendingOutput == 0 }
                if ownerFinished && (drained || MonotonicClock.seconds() > stopDeadline) { return }
            }
        }
    }

    /// Re-decides what `c` is watched for after any change to it, and drops
    /// it once it has nothing more to do. Every path that changes a
    /// connection ends here.
    private func settle(_ c: Connection) {
        if c.isFinished {
            drop(c)
            return
        }
        c.settle(at: MonotonicClock.seconds())
        let wanted = c.interest
        guard wanted != c.registered else { return }
        do {
            try epoll.modify(c.socket.rawValue, wanted, tag: UInt64(c.id))
            c.registered = wanted
        } catch {
            log.log("disconnecting \(c.peer.actor): \(error)", priority: .err)
            drop(c)
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

    private func accept(_ listener: FileDescriptor) {
        while true {
            let socket: FileDescriptor
            do {
                guard let s = try UnixSocket.accept(listener) else { return }
                socket = s
            } catch {
                // Out of descriptors or memory, or a connection that went
                // away before it was taken: the next wake-up tries again.
                log.log("\(error)", priority: .warning)
                return
            }
            let credentials: UnixSocket.Credentials
            do {
                credentials = try peerCredentials(socket)
            } catch {
                // Fail closed: without credentials there is no role to give.
                log.log("refusing a connection: its peer credentials cannot be read (\(error)), so it cannot be given a role",
                        priority: .err, event: "connection_refused")
                refuse(socket, FairwayError(.forbidden,
                    "fairwayd could not read this connection's peer credentials (\(error)); it is refused, nothing was done"))
                continue
            }
            let peer = PeerIdentity(pid: credentials.pid, uid: credentials.uid, gid: credentials.gid, userName: Self.userName(credentials.uid))
            if stopping {
                refuse(socket, FairwayError(.unavailable, "fairwayd is stopping"))
                continue
            }
            let role = accessControl.role(of: peer)
            if let refusal = slots.admission(uid: peer.uid, userName: peer.userName, role: role,
                                             unlimitedUser: accessControl.isAlwaysOperator(peer), limits: limits) {
                refuse(socket, refusal)
                continue
            }
            let c = Connection(id: nextID, socket: socket, peer: peer, role: role,
                               maxLine: limits.maxLineBytes, now: MonotonicClock.seconds())
            nextID += 1
            connections[c.id] = c
            slots.opened(uid: peer.uid, role: role)
            mailbox.connections.publish(slots)
            do {
                try epoll.add(socket.rawValue, c.registered, tag: UInt64(c.id))
            } catch {
                log.log("disconnecting \(c.peer.actor): \(error)", priority: .err)
                drop(c)
            }
        }
    }

    /// The peer's credentials (or, in a debug build with the test hook set, its failure).
    private func peerCredentials(_ socket: FileDescriptor) throws(SystemCallError) -> UnixSocket.Credentials {
        #if DEBUG
        if let credentialsHook { throw credentialsHook.error }
        #endif
        return try UnixSocket.peerCredentials(socket)
    }

    /// Tells a connection not taken why, in one line, and closes it.
    private func refuse(_ socket: FileDescriptor, _ error: FairwayError) {
        let line = ResponseEncoder.failure(id: nil, error)
        do {
            // A new connection's buffer is empty: the line fits at once.
            _ = try line.withUnsafeBytes { bytes throws(SystemCallError) in try socket.send(bytes) }
            try socket.close()
        } catch {
            log.log("refusing a connection: \(error)", priority: .info)
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
        while budget > 0 && c.wantsRead {
            let count: Int?
            do {
                count = try buffer.withUnsafeMutableBytes { raw throws(SystemCallError) in try c.socket.read(into: raw) }
            } catch {
                drop(c)
                return
            }
            guard let n = count else { break }  // nothing more for now
            if n == 0 {
                c.readClosed = true
                break
            }
            budget -= n
            // A watcher's further bytes are not requests: read (to see its EOF) and dropped.
            if c.watching { continue }
            c.read(at: MonotonicClock.seconds())
            buffer.withUnsafeBytes { c.framer.append(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
            while let frame = c.framer.next() {
                switch frame {
                case .line(let bytes):
                    if pendingBytes > 0 && pendingBytes + bytes.count > limits.maxPendingBytes {
                        // Overloaded: refuse without decoding, keep the answer in order.
                        let request = Request(id: nil, operation: .failure(FairwayError(.unavailable,
                            "fairwayd is overloaded (\(pendingBytes >> 20) MiB of requests waiting); nothing was done, retry in a moment")))
                        hand(.request(connection: c.id, request: request, peer: c.peer, closeAfter: false), from: c, bytes: 64)
                    } else if bytes.count >= LineDecoder.longLine {
                        // Long lines are decoded on the decoder thread; from
                        // then on all of this connection's jobs go through it,
                        // in order (`hand`). A `watch` is never that long.
                        c.usesDecoder = true
                        decoderItems.append(.line(connection: c.id, bytes: bytes, peer: c.peer, role: c.role, maxBatch: limits.maxBatch))
                        c.sent(bytes: bytes.count)
                        pendingBytes += bytes.count
                    } else {
                        let request = c.role.authorize(RequestDecoder.decode(bytes, maxBatch: limits.maxBatch), peer: c.peer)
                        hand(.request(connection: c.id, request: request, peer: c.peer, closeAfter: false), from: c,
                             bytes: request.operation.isFailure ? 64 : bytes.count)
                        if case .success(.watch) = request.operation { startWatching(c) }
                    }
                case .tooLong:
                    let error = FairwayError(.lineTooLong, "a request line is longer than \(limits.maxLineBytes) bytes; closing the connection")
                    hand(.request(connection: c.id, request: Request(id: nil, operation: .failure(error)), peer: c.peer, closeAfter: true),
                         from: c, bytes: 64)
                    c.readClosed = true
                }
                if c.readClosed || c.watching { break }
            }
            c.settle(at: MonotonicClock.seconds())
            // Hand over what this read completed before reading on: a lookup
            // on another connection should not wait for this one's next batch.
            postJobs()
        }
        settle(c)
    }

    private var lastExpiry = 0.0

    /// Disconnects clients that left half a line unsent for too long while
    /// the daemon was willing to read it.
    private func expirePartialLines() {
        let now = MonotonicClock.seconds()
        guard now - lastExpiry >= 1 else { return }
        lastExpiry = now
        let limit = Double(limits.partialLineTimeout)
        for c in connections.values where c.framer.bufferedByteCount > 0 && !c.readClosed && c.partialLine.waited(at: now) > limit {
            log.log("disconnecting \(c.peer.actor): half a request line unsent for \(Int(limit)) s", priority: .warning)
            c.readClosed = true
            if c.inflight == 0 {
                let line = ResponseEncoder.failure(id: nil, FairwayError(.invalidArgument, "request line left unfinished for \(Int(limit)) s; closing"))
                c.output.append(contentsOf: line)
                c.closeAfterFlush = true
                flush(c)
            } else {
                settle(c)
            }
        }
    }

    private func deliverAnswers() {
        outbox.wake.drain()
        if let config = outbox.takeAcceptedConfig() {
            limits = config.limits
            accessControl = AccessControl(config.access)
            for c in connections.values {
                let role = accessControl.role(of: c.peer)
                slots.changedRole(from: c.role, to: role)
                c.role = role
            }
            mailbox.connections.publish(slots)
            // A watcher whose user may no longer read is closed.
            for id in watching { if let c = connections[id], c.role == .none { endWatching(c) } }
        }
        var touched: [Int: Connection] = [:]
        for out in outbox.takeAll() {
            guard let c = connections[out.connection] else {
                // Its client hung up: the answer is thrown away.
                released(out.connection, out.bytes.count)
                continue
            }
            pendingBytes -= c.answered()
            c.output.append(contentsOf: out.bytes)
            if out.close { c.closeAfterFlush = true }
            touched[c.id] = c
        }
        for c in touched.values {
            flush(c)
            guard connections[c.id] != nil, c.pendingOutput > maxOutputBytes else { continue }
            log.log("disconnecting \(c.peer.actor): \(c.pendingOutput) bytes of answers unread, over the bound of "
                    + "\(Self.size(maxOutputBytes)) of unread answers per connection (the client stopped reading)",
                    priority: .warning, event: "client_too_slow")
            drop(c)
        }
        // Events for the watchers (`flush` takes them from `outbox.watchers`).
        for id in watching { if let c = connections[id], touched[id] == nil { flush(c) } }
    }

    /// `c` sent `watch`: it reads no further requests (bytes already read after
    /// the request line are dropped) and gets events once the answer is out.
    private func startWatching(_ c: Connection) {
        c.watching = true
        c.framer = LineFramer(maxLineLength: limits.maxLineBytes)
        watching.insert(c.id)
    }

    /// Closes `c`'s stream once what it was sent is flushed; it gets no more events.
    private func endWatching(_ c: Connection) {
        c.watching = false
        c.closeAfterFlush = true
        watching.remove(c.id)
        outbox.watchers.remove(connection: c.id)
        flush(c)
    }

    /// On stop, once the owner has committed its last change: each watcher
    /// gets what was published for it, then is closed.
    private func closeWatchers() {
        watchersClosed = true
        for id in watching {
            guard let c = connections[id] else { continue }
            c.closeAfterFlush = true
            flush(c)
        }
    }

    /// Moves the next events of a watcher whose output is sent into its
    /// output (at most `watchOutputBytes` at a time, so that what waits for a
    /// slow watcher stays in its bounded queue), or, as soon as it overflowed,
    /// its overflow line behind what it has not read yet. Returns whether
    /// anything was added.
    private func refill(_ c: Connection) -> Bool {
        guard c.watching, c.inflight == 0 else { return false }
        switch outbox.watchers.take(connection: c.id, maxBytes: c.pendingOutput == 0 ? Self.watchOutputBytes : 0) {
        case .nothing:
            return false
        case .lines(let bytes):
            c.output.append(contentsOf: bytes)
        case .overflow(let dropped):
            log.log("closing the watch of \(c.peer.actor): more than \(outbox.watchers.bound) events waited for it; "
                    + "\(dropped) dropped", priority: .warning, event: "watch_overflow")
            c.output.append(contentsOf: ResponseEncoder.watchOverflow(dropped: dropped))
            c.watching = false
            c.closeAfterFlush = true
            watching.remove(c.id)
        }
        return true
    }

    /// Bytes of events moved to a watcher's output at a time.
    static let watchOutputBytes = 64 << 10

    /// `64 MiB`, or bytes when not a whole number of MiB.
    static func size(_ bytes: Int) -> String {
        bytes % (1 << 20) == 0 ? "\(bytes >> 20) MiB" : "\(bytes) bytes"
    }

    private func flush(_ c: Connection) {
        repeat {
            while c.pendingOutput > 0 {
                let sent: Int?
                do {
                    sent = try c.output.withUnsafeBytes { raw throws(SystemCallError) in
                        try c.socket.send(UnsafeRawBufferPointer(rebasing: raw[c.outputOffset...]))
                    }
                } catch {
                    drop(c)
                    return
                }
                guard let n = sent else { break }  // the socket's buffer is full
                c.outputOffset += n
                released(c.id, n)
            }
        } while refill(c)
        if c.pendingOutput == 0 {
            c.output.removeAll(keepingCapacity: c.output.capacity <= 1 << 20)
            c.outputOffset = 0
        } else if c.outputOffset > 1 << 20 {
            c.output.removeFirst(c.outputOffset)
            c.outputOffset = 0
        }
        settle(c)
    }

    /// Tells the ledger that `bytes` of `connection`'s answers left (written
    /// or thrown away), waking the owner when it holds answers back.
    private func released(_ connection: Int, _ bytes: Int) {
        if outbox.ledger.released(connection, bytes) { mailbox.nudge() }
    }

    private func drop(_ c: Connection) {
        if c.watching {
            watching.remove(c.id)
            outbox.watchers.remove(connection: c.id)
        }
        pendingBytes -= c.inflightBytes
        connections[c.id] = nil
        // Its queries are dropped with it; what it changed is still applied.
        if outbox.ledger.dropped(c.id) { mailbox.nudge() }
        slots.closed(uid: c.peer.uid, role: c.role)
        mailbox.connections.publish(slots)
        // Closing the descriptor also takes it out of the epoll set.
        do {
            try c.socket.close()
        } catch {
            log.log("closing the connection of \(c.peer.actor): \(error)", priority: .warning)
        }
    }

    private func handleSignals() {
        let taken: [Int32]
        do {
            taken = try signals.take()
        } catch {
            log.log("\(error)", priority: .err)
            return
        }
        for signal in taken {
            switch signal {
            case SIGTERM, SIGINT: beginStop(because: signal == SIGTERM ? "SIGTERM" : "SIGINT")
            case SIGHUP: reload()
            default: break
            }
        }
    }

    /// Stops taking connections and requests; the loop ends once everything
    /// read is answered (or after `stopDeadline`).
    private func beginStop(because reason: String) {
        guard !stopping else { return }
        stopping = true
        stopDeadline = MonotonicClock.seconds() + 5
        _ = try? notifier.stopping()
        log.log("stopping on \(reason): finishing requests in flight", event: "stopping")
        for fd in listeners {
            do {
                try fd.close()
            } catch {
                log.log("closing a listening socket: \(error)", priority: .warning)
            }
        }
        listeners = []
        for c in connections.values {
            c.readClosed = true
            settle(c)
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
