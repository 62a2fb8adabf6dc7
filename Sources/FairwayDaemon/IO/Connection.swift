import FairwayCore
import FairwayPOSIX
import FairwayProtocol

/// One client connection as the I/O thread sees it.
final class Connection {
    let id: Int
    /// The socket, owned: closed when the connection is dropped.
    let socket: FileDescriptor
    let peer: PeerIdentity
    /// What the peer may do, from `[access]` when it connected.
    var role: Role
    var framer: LineFramer
    /// Bytes waiting to be sent, from `outputOffset` on.
    var output: [UInt8] = []
    var outputOffset = 0
    /// Requests handed to the state owner and not yet answered.
    var inflight: Int { inflightSizes.count - inflightHead }
    /// Sizes of those requests in bytes, oldest first (from `inflightHead`).
    private var inflightSizes: [Int] = []
    private var inflightHead = 0
    /// Bytes of requests in flight.
    private(set) var inflightBytes = 0

    /// Records a request handed to the state owner.
    func sent(bytes: Int) {
        inflightSizes.append(bytes)
        inflightBytes += bytes
    }

    /// Records the answer to the oldest request in flight; returns its size.
    func answered() -> Int {
        guard inflightHead < inflightSizes.count else { return 0 }
        let size = inflightSizes[inflightHead]
        inflightHead += 1
        inflightBytes -= size
        if inflightHead == inflightSizes.count {
            inflightSizes.removeAll(keepingCapacity: true)
            inflightHead = 0
        }
        return size
    }
    /// Requests of this connection go through the decoder thread (it sent a
    /// long line once).
    var usesDecoder = false
    /// The client finished sending (EOF), or the daemon stopped reading.
    var readClosed = false
    /// Close once the output is flushed (after `line_too_long`, a watcher's overflow, a stop).
    var closeAfterFlush = false
    /// It sent `watch`: no more requests are read from it, and it stays open
    /// for the events (even after the client's EOF) until it is closed.
    var watching = false
    /// Whether reading is paused for answers in flight or unsent.
    private(set) var gate = ReadGate()
    /// How long half a line has waited while the daemon was willing to read.
    private(set) var partialLine: PartialLineClock
    /// The events registered with epoll for this connection.
    var registered: Epoll.Events = Connection.initialInterest

    /// What a new connection is watched for.
    static let initialInterest: Epoll.Events = [.readable, .readHangup]

    init(id: Int, socket: FileDescriptor, peer: PeerIdentity, role: Role, maxLine: Int, now: Double) {
        self.id = id
        self.socket = socket
        self.peer = peer
        self.role = role
        framer = LineFramer(maxLineLength: maxLine)
        partialLine = PartialLineClock(now: now)
    }

    var pendingOutput: Int { output.count - outputOffset }

    /// Whether the daemon reads from this connection now.
    var wantsRead: Bool { !readClosed && !gate.paused }

    /// What epoll should watch for: reading when willing, writing while output waits.
    var interest: Epoll.Events {
        var events: Epoll.Events = wantsRead ? Self.initialInterest : []
        if pendingOutput > 0 { events.insert(.writable) }
        return events
    }

    /// Bytes arrived at `now`.
    func read(at now: Double) { partialLine.read(at: now) }

    /// Re-decides whether to read, after any change to what is in flight,
    /// unsent or closed. The one place that decides it.
    func settle(at now: Double) {
        gate.update(inflight: inflight, pendingOutput: pendingOutput)
        partialLine.setWilling(wantsRead, at: now)
    }

    /// Whether the connection has nothing more to do and can be closed.
    var isFinished: Bool {
        pendingOutput == 0 && (closeAfterFlush || (readClosed && inflight == 0 && !watching))
    }
}
