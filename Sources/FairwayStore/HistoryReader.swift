public import FairwayCore
import CSQLite

/// A second, read-only connection to the database, for reports: in WAL mode
/// it reads the last commit while the owner goes on writing, and neither
/// waits for the other. One thread uses it (the daemon's report thread).
public final class HistoryReader {
    private let db: SQLiteConnection
    private let select: SQLiteStatement
    private let selectAttempts: SQLiteStatement

    /// Opens the database at `path` (the store's file) read-only.
    public init(path: String) throws(StoreError) {
        db = try SQLiteConnection(path: path, readOnly: true)
        try db.execute("PRAGMA query_only=1")
        select = try db.prepare("""
            SELECT depot, tier, cleared_at, state, closed_at, slot_start, slot_length, deadline, complaints,
              first_promise, promise_moves, expedited, displaced, fail_reason, seq
            FROM orders
            WHERE (closed_at >= ?1 AND closed_at < ?2)
               OR (state = 'committed' AND (slot_start + slot_length) * 1000 >= ?1 AND (slot_start + slot_length) * 1000 < ?2)
               OR seq IN (SELECT order_seq FROM attempts WHERE at >= ?1 AND at < ?2)
            """)
        selectAttempts = try db.prepare("SELECT order_seq, at, reason FROM attempts WHERE at >= ?1 AND at < ?2")
    }

    /// The orders a report over `[from, to)` counts: those closed in it, the
    /// committed ones whose slot ended in it, and those with a retried
    /// attempt in it (with those attempts), read in one transaction.
    public func reportRecords(from: Timestamp, to: Timestamp) throws(StoreError) -> [Report.Record] {
        try db.execute("BEGIN")
        defer { try? db.execute("COMMIT") }
        var attempts: [Int64: [Report.Attempt]] = [:]
        selectAttempts.reset()
        selectAttempts.bind(1, from.milliseconds)
        selectAttempts.bind(2, to.milliseconds)
        while try selectAttempts.step() {
            attempts[selectAttempts.int64(0), default: []].append(
                Report.Attempt(at: Timestamp(milliseconds: selectAttempts.int64(1)), reason: selectAttempts.string(2)))
        }
        selectAttempts.reset()
        select.reset()
        select.bind(1, from.milliseconds)
        select.bind(2, to.milliseconds)
        var records: [Report.Record] = []
        while try select.step() {
            guard let state = OrderState(rawValue: select.string(3)) else { continue }
            let length = select.int64(6)
            let slotEnd = select.optionalInt64(5).map { $0 + length }
            let inWindow = (select.optionalInt64(4).map { $0 >= from.milliseconds && $0 < to.milliseconds } ?? false)
                || (state == .committed && slotEnd.map { $0 * 1000 >= from.milliseconds && $0 * 1000 < to.milliseconds } ?? false)
            records.append(Report.Record(
                depot: select.string(0), tier: select.string(1), clearedAt: Timestamp(milliseconds: select.int64(2)),
                // An order here only for its attempts counts only them.
                state: inWindow ? state : .queued, closedAt: select.optionalInt64(4).map(Timestamp.init(milliseconds:)),
                slotEnd: state == .committed ? slotEnd : nil, firstPromiseEnd: select.optionalInt64(9).map { $0 + length },
                deadline: select.optionalInt64(7).map(Timestamp.init(milliseconds:)), complaints: Int(select.int64(8)),
                promiseMoves: Int(select.int64(10)), expedited: select.int64(11) != 0, displaced: Int(select.int64(12)),
                failReason: select.optionalString(13), attempts: attempts[select.int64(14)] ?? []))
        }
        select.reset()
        return records
    }

    /// Closes the connection.
    public func close() { db.close() }
}
