import FairwayCore
import FairwayPOSIX
import FairwayProtocol

/// Answers made as the clients read them, and large answers that do not
/// hold up small ones.
///
/// - No job of a connection starts while its client holds more answer bytes
///   unread than `AnswerBudget` allows (1 MiB, or the global
///   `max-answer-bytes` for large answers): the job and the connection's
///   later jobs stay in the backlog, in order, and the I/O thread wakes the
///   owner when bytes are read. A client that stops reading costs no CPU and
///   at most one answer of memory.
/// - The queries of a connection that hung up are dropped unanswered; its
///   changes are still applied and stored (the client may retry them, and
///   re-submits are idempotent).
/// - Large reads (a schedule, a queue, a history) take at most
///   `largeReadBudget` of a round; after each one the small reads that
///   arrived meanwhile (`order`, `status`, ...) are answered before the next,
///   so a small read waits for one large answer at most, not for all of them.
extension StateOwner {
    /// Seconds of large reads per round before the rest wait for the next
    /// round (behind the round's writes).
    static let largeReadBudget = 0.02

    /// The answer budget of `limits` (and of the test hook in a debug build).
    static func answerBudget(_ limits: FairwayConfig.Limits) -> AnswerBudget {
        #if DEBUG
        if let bytes = TestAnswerBoundHook.fromEnvironment() {
            return AnswerBudget(maxTotal: limits.maxAnswerBytes, connectionBytes: bytes)
        }
        #endif
        return AnswerBudget(maxTotal: limits.maxAnswerBytes)
    }

    /// Whether `job` may start now: its connection waits for nothing and the
    /// answer bytes held allow its answer.
    func mayStart(_ job: Job) -> Bool {
        guard case .request(let connection, let request, _, _) = job else { return true }
        if waitingForHistory.contains(connection) || heldBack.contains(connection) { return false }
        let size: AnswerSize = if case .success(let op) = request.operation { op.answerSize } else { .small }
        if size == .large && largeSpent >= Self.largeReadBudget { return false }
        let f = outbox.ledger.figures(for: connection)
        return answerBudget.mayStart(size, held: f.held, total: f.total, holders: f.holders)
    }

    /// The index of the first job in the backlog that may run now, keeping
    /// each connection's order: a connection whose job waits is held back
    /// for the rest of the round. Nil when every job waits.
    func nextRunnable() -> Int? {
        for (i, job) in backlog.enumerated() {
            guard case .request(let connection, _, _, _) = job else { return i }
            if heldBack.contains(connection) { continue }
            if mayStart(job) { return i }
            heldBack.insert(connection)
        }
        return nil
    }

    /// Whether the backlog holds a job that may run now. When it does not,
    /// the I/O thread is asked to wake the owner once a client reads.
    func hasRunnableWork() -> Bool {
        guard !backlog.isEmpty else { return false }
        startRound()
        // Asked before looking, so a read in between still wakes the owner.
        outbox.ledger.setOwnerWaits(true)
        let runnable = nextRunnable() != nil
        if runnable { outbox.ledger.setOwnerWaits(false) }
        return runnable
    }

    /// A new round: every connection may go again, and large reads have their budget.
    func startRound() {
        heldBack.removeAll(keepingCapacity: true)
        largeSpent = 0
    }

    /// Whether `job` is a query (or an error to answer) of a connection that hung up.
    func isQueryOfHungUp(_ job: Job) -> Bool {
        guard case .request(let connection, let request, _, _) = job else { return false }
        if case .success(let op) = request.operation, op.isMutating { return false }
        return outbox.ledger.isClosed(connection)
    }

    /// Forgets the connections that had hung up before the round's mailbox
    /// was taken and have no job left: nothing more can come from them.
    func forgetHungUp(_ hungUp: Set<Int>) {
        guard !hungUp.isEmpty else { return }
        var left = hungUp
        for job in backlog {
            if case .request(let connection, _, _, _) = job { left.remove(connection) }
        }
        outbox.ledger.forget(left)
    }

    /// Answers the reads that may go before the writes waiting (see
    /// `takeEarlyReads`), each when its answer may start; the others keep
    /// their place at the head of the backlog, in order. After each large
    /// one, the small reads that arrived meanwhile go first. With
    /// `deferLarge`, large reads (and their connections' reads behind them)
    /// are not run but returned, for `answerLargeReads` once the round's
    /// writes are committed: a write waits for one large answer at most.
    @discardableResult
    func answerEarlyReads(_ taken: [Job]? = nil, now: Timestamp, active: inout Bool, deferLarge: Bool) -> [Job] {
        var early = taken ?? Self.takeEarlyReads(&backlog, busy: waitingForHistory.union(heldBack))
        var waiting: [Job] = []
        var deferred: [Job] = []
        var deferredConnections: Set<Int> = []
        var i = 0
        while i < early.count {
            let job = early[i]
            i += 1
            guard case .request(let connection, let request, _, _) = job, case .success(let op) = request.operation else { continue }
            if isQueryOfHungUp(job) { continue }
            if deferredConnections.contains(connection) || (deferLarge && op.answerSize == .large) {
                deferredConnections.insert(connection)
                deferred.append(job)
                continue
            }
            guard mayStart(job) else {
                heldBack.insert(connection)
                waiting.append(job)
                continue
            }
            let started = MonotonicClock.seconds()
            run(job, now: now, active: &active)
            guard op.answerSize == .large else { continue }
            largeSpent += MonotonicClock.seconds() - started
            let small = smallReadsArrived(behind: early[i...])
            early.insert(contentsOf: small, at: i)
        }
        backlog.insert(contentsOf: waiting, at: 0)
        // Their later jobs wait behind them in the backlog.
        heldBack.formUnion(deferredConnections)
        return deferred
    }

    /// Answers the large reads `answerEarlyReads` deferred (within the
    /// round's budget for large reads; the rest go back to the head of the
    /// backlog, in order).
    func answerLargeReads(_ deferred: [Job], now: Timestamp, active: inout Bool) {
        guard !deferred.isEmpty else { return }
        for job in deferred {
            if case .request(let connection, _, _, _) = job { heldBack.remove(connection) }
        }
        answerEarlyReads(deferred, now: now, active: &active, deferLarge: false)
    }

    /// Takes from the mailbox the small reads that may be answered now,
    /// ahead of `rest` (the early reads still to run), and leaves the
    /// other jobs in the backlog.
    private func smallReadsArrived(behind rest: ArraySlice<Job>) -> [Job] {
        backlog += mailbox.takeNow()
        var busy = waitingForHistory.union(heldBack)
        for job in rest {
            if case .request(let connection, _, _, _) = job { busy.insert(connection) }
        }
        var small: [Job] = []
        Self.takeEarlyReads(&backlog, busy: busy) { job, op in
            guard op.answerSize == .small, mayStart(job) else { return false }
            small.append(job)
            return true
        }
        return small
    }
}
