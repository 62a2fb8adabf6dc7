import FairwayCore
import FairwayProtocol

extension StateOwner {
    /// Answers the `order` lookups waiting in the mailbox from the state as
    /// last published (see `Scheduler.publishedOrder`), without waiting for
    /// the round in progress. Called between steps of long work (a clump's
    /// orders, its rows in the store, the queue's projection) with the
    /// scheduler as it stands; cheap when no lookup waits.
    ///
    /// A lookup is answered here only when its connection has nothing
    /// unanswered ahead of it (the job running, an answer waiting for the
    /// commit, an earlier job in the backlog), so each connection's answers
    /// stay in its request order. The others wait for the end of the round.
    func answerWaitingLookups(in scheduler: borrowing Scheduler) {
        pingWatchdogIfDue()
        guard mailbox.hasWaitingLookups, scheduler.hasUsablePublishedView else { return }
        backlog += mailbox.takeNow()
        var busy = Set(pending.map(\.out.connection)).union(waitingForHistory).union(heldBack)
        if let running { busy.insert(running) }
        var answers: [Outgoing] = []
        Self.takeEarlyReads(&backlog, busy: busy) { job, op in
            guard case .order(let orderID) = op, case .request(let connection, let request, _, let closeAfter) = job,
                mayStart(job), let result = scheduler.publishedOrder(orderID)
            else { return false }
            let bytes: [UInt8]
            switch result {
            case .success(let view): bytes = orderAnswer(id: request.id, view)
            case .failure(let error): bytes = ResponseEncoder.failure(id: request.id, error)
            }
            answers.append(Outgoing(connection: connection, bytes: bytes, close: closeAfter))
            return true
        }
        if !answers.isEmpty { outbox.post(answers) }
    }

    /// Publishes the (committed) state for lookups, after placing up to
    /// `publishBudget` more queued orders (in steps, answering lookups from
    /// the previous publish in between). Lookups beyond the placed orders
    /// wait for the end of a round; the rest is placed when idle
    /// (`placeWhileIdle`).
    func placeAndPublish() {
        var budget = Self.publishBudget
        while budget > 0 && !scheduler.extendProjections(budget: min(budget, Scheduler.projectionStep)) {
            budget -= Scheduler.projectionStep
            answerWaitingLookups(in: scheduler)
        }
        scheduler.publish()
    }

    /// Queued orders placed before a publish at most (about 0.2 ms of work
    /// at a million waiting): a small submit that reorders a deep queue is
    /// not held up by placing all of it.
    static let publishBudget = 2 * Scheduler.projectionStep

    /// When nothing waits, places one more step of queued orders and
    /// publishes; returns false when there was nothing to do.
    func placeWhileIdle() -> Bool {
        guard backlog.isEmpty, scheduler.changes.isEmpty, !scheduler.projectionsArePlaced else { return false }
        _ = scheduler.extendProjections(budget: Scheduler.projectionStep)
        scheduler.publish()
        return true
    }
}
