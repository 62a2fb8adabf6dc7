public import FairwayCore
import CSQLite

/// A second, read-only connection to the database, for reports: in WAL mode
/// it reads the last commit while the owner goes on writing, and neither
/// waits for the other. One thread uses it (the daemon's report thread).
public final class HistoryReader {
    private let db: SQLiteConnection
    private let select: SQLiteStatement

    /// Opens the database at `path` (the store's file) read-only.
    public init(path: String) throws(StoreError) {
        db = try SQLiteConnection(path: path, readOnly: true)
        try db.execute("PRAGMA query_only=1")
        select = try db.prepare("""
            SELECT depot, tier, cleared_at, state, closed_at, slot_start, slot_length, deadline, complaints
            FROM orders
            WHERE (closed_at >= ?1 AND closed_at < ?2)
               OR (state = 'committed' AND (slot_start + slot_length) * 1000 >= ?1 AND (slot_start + slot_length) * 1000 < ?2)
            """)
    }

    /// The orders a report over `[from, to)` counts: those closed in it, and
    /// the committed ones whose slot ended in it, read in one transaction.
    public func reportRecords(from: Timestamp, to: Timestamp) throws(StoreError) -> [Report.Record] {
        select.reset()
        select.bind(1, from.milliseconds)
        select.bind(2, to.milliseconds)
        var records: [Report.Record] = []
        while try select.step() {
            guard let state = OrderState(rawValue: select.string(3)) else { continue }
            let slotEnd = select.optionalInt64(5).map { $0 + select.int64(6) }
            records.append(Report.Record(
                depot: select.string(0), tier: select.string(1), clearedAt: Timestamp(milliseconds: select.int64(2)),
                state: state, closedAt: select.optionalInt64(4).map(Timestamp.init(milliseconds:)),
                slotEnd: state == .committed ? slotEnd : nil,
                // A promise never moves without a capacity change: its slot is the first promise.
                firstPromiseEnd: slotEnd, deadline: select.optionalInt64(7).map(Timestamp.init(milliseconds:)),
                complaints: Int(select.int64(8))))
        }
        select.reset()
        return records
    }

    /// Closes the connection.
    public func close() { db.close() }
}
