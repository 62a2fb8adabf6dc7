import CFairwayShim
import Dispatch
import Foundation
import FairwayProtocol
import Synchronization

/// Decodes long request lines (clumps of orders) on a thread of its own, so
/// that the I/O thread keeps reading, and answering, the other connections
/// meanwhile: a lookup is not held up by someone else's 200 KB submit.
///
/// Jobs leave in the order they came in. The I/O thread sends every later
/// job of a connection that used the decoder through it too, and stop and
/// reload as well, so no job overtakes one read before it.
final class LineDecoder: Sendable {
    /// A job for the state owner, or a line still to decode into one.
    enum Item: Sendable {
        case job(Job)
        case line(connection: Int, bytes: [UInt8], peer: PeerIdentity, role: Role, maxBatch: Int)
    }

    private let items = Mutex<(list: [Item], pending: Int)>(([], 0))
    private let wake = DispatchSemaphore(value: 0)
    private let mailbox: Mailbox

    /// Lines at least this long go to the decoder.
    static let longLine = 16 << 10

    init(mailbox: Mailbox) {
        self.mailbox = mailbox
        let thread = Thread { [self] in run() }
        thread.name = "fairway-decode"
        thread.start()
    }

    /// Queues items; they reach the mailbox in this order, after those queued before.
    func post(_ batch: [Item]) {
        guard !batch.isEmpty else { return }
        let wasIdle = items.withLock { state in
            state.list.append(contentsOf: batch)
            state.pending += batch.count
            return state.pending == batch.count
        }
        if wasIdle { wake.signal() }
    }

    /// Whether anything is queued or being decoded.
    var isBusy: Bool { items.withLock { $0.pending > 0 } }

    private func run() {
        fairway_name_thread("fairway-decode")
        while true {
            let batch = items.withLock { state in
                let all = state.list
                state.list.removeAll(keepingCapacity: true)
                return all
            }
            if batch.isEmpty {
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
                    let request = role.authorize(RequestDecoder.decode(bytes, maxBatch: maxBatch), peer: peer)
                    jobs.append(.request(connection: connection, request: request, peer: peer, closeAfter: false))
                }
            }
            mailbox.post(jobs)
            items.withLock { $0.pending -= batch.count }
        }
    }
}
