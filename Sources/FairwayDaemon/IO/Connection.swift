import FairwayPOSIX
import FairwayProtocol

/// One client connection as the I/O thread sees it.
final class Connection {
    let id: Int
    let fd: Int32
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
    /// Close once the output is flushed (after `line_too_long`).
    var closeAfterFlush = false
    /// Reading is paused because too much is in flight or unsent.
    var paused = false
    /// EPOLLOUT is registered.
    var wantsWrite = false
    /// Monotonic time of the last bytes read.
    var lastRead = MonotonicClock.seconds()

    init(id: Int, fd: Int32, peer: PeerIdentity, role: Role, maxLine: Int) {
        self.id = id
        self.fd = fd
        self.peer = peer
        self.role = role
        framer = LineFramer(maxLineLength: maxLine)
    }

    var pendingOutput: Int { output.count - outputOffset }

    /// Whether the connection has nothing more to do and can be closed.
    var isFinished: Bool {
        pendingOutput == 0 && (closeAfterFlush || (readClosed && inflight == 0))
    }
}
