import FairwayCore
import Dispatch
import FairwayPOSIX
import FairwayProtocol
import Synchronization

/// Decodes long request lines (clumps of orders) on a thread of its own, so
/// that the I/O thread keeps reading, and answering, the other connections
/// meanwhile: a lookup is not held up by someone else's 200 KB submit.
///
/// Jobs leave in the order they came in. The I/O thread sends every later
/// job of a connection that used the decoder through it too, and stop and
/// reload as well, so no job overtakes one read before it.
///
/// A service: `stop` lets it hand on what it holds, then ends its thread.
final class LineDecoder: Service {
    /// A job for the state owner, or a line still to decode into one.
    enum Item: Sendable {
        case job(Job)
        case line(connection: Int, bytes: [UInt8], peer: PeerIdentity, role: Role, maxBatch: Int)
    }

    let name = "fairway-decode"
    /// Items to decode and hand on, and whether to end once they are.
    private let items = Mutex<(list: [Item], stopping: Bool)>(([], false))
    private let wake = DispatchSemaphore(value: 0)
    private let mailbox: Mailbox
    private let thread = ServiceThread()

    /// Lines at least this long go to the decoder.
    static let longLine = 16 << 10

    init(mailbox: Mailbox) {
        self.mailbox = mailbox
    }

    func start() throws(SystemCallError) {
        try thread.start(name) { [self] in run() }
    }

    /// Hands on what is queued, then ends the thread.
    func stop() {
        items.withLock { $0.stopping = true }
        wake.signal()
        thread.join()
    }

    /// Queues items; they reach the mailbox in this order, after those queued before.
    func post(_ batch: [Item]) {
        guard !batch.isEmpty else { return }
        let wasEmpty = items.withLock { q in
            let empty = q.list.isEmpty
            q.list.append(contentsOf: batch)
            return empty
        }
        // The decoder takes the whole list each time round: it needs waking
        // only when it may have found the list empty.
        if wasEmpty { wake.signal() }
    }

    private func run() {
        while true {
            let (batch, stopping) = items.withLock { q in
                let all = q.list
                q.list.removeAll(keepingCapacity: true)
                return (all, q.stopping)
            }
            if batch.isEmpty {
                if stopping { return }
                wake.wait()
                continue
            }
            var jobs: [Job] = []
            jobs.reserveCapacity(batch.count)
            for item in batch {
                switch item {
                case .job(let job):
                    jobs.append(job)
                case .line(let connection, let bytes, let peer, let role, let maxBatch):
                    var request = role.authorize(RequestDecoder.decode(bytes, maxBatch: maxBatch), peer: peer)
                    if case .success(.watch) = request.operation {
                        // The I/O thread stops reading a watcher at its request line, which it must see itself.
                        request.operation = .failure(.invalid(
                            "watch: the request line is \(bytes.count) bytes; a watch request must be shorter than \(Self.longLine)"))
                    }
                    jobs.append(.request(connection: connection, request: request, peer: peer, closeAfter: false))
                }
            }
            mailbox.post(jobs)
        }
    }
}
