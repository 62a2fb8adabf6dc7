public import FairwayCore
import CSQLite

/// A second, read-only connection to the database, for the long reads
/// (`report`, `export`): in WAL mode it reads the last commit while the
/// owner goes on writing, and neither waits for the other. One thread uses
/// it (the daemon's history thread).
public final class HistoryReader {
    private let db: SQLiteConnection
    private let select: SQLiteStatement
    private let selectAttempts: SQLiteStatement
    private let selectOrders: SQLiteStatement
    private let selectComplaints: SQLiteStatement
    private let selectCapacityChanges: SQLiteStatement
    private let selectExpedites: SQLiteStatement

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
        selectOrders = try db.prepare("""
            SELECT order_id, customer_id, units, tier, depot, not_before, deadline, cleared_at, received_at
            FROM orders WHERE received_at >= ?1 AND received_at < ?2 ORDER BY seq
            """)
        selectComplaints = try db.prepare("""
            SELECT c.at, o.order_id FROM complaints c JOIN orders o ON o.seq = c.order_seq
            WHERE c.at >= ?1 AND c.at < ?2 ORDER BY c.at, c.id
            """)
        selectCapacityChanges = try db.prepare(
            "SELECT depot, from_ms, to_ms, capacity, reason, at, actor FROM capacity_changes WHERE at < ?2 ORDER BY id")
        selectExpedites = try db.prepare("""
            SELECT order_id, depot, actor, at, reason, slot_start, committed, displaced_count FROM expedites
            WHERE at >= ?1 AND at < ?2 ORDER BY id
            """)
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

    /// The daemon's history of `[from, to)` as a scenario trace
    /// (`HistoryExport.entries`), read in one transaction: the orders
    /// received in it, the complaints, capacity changes and expedites.
    public func exportEntries(from: Timestamp, to: Timestamp) throws(StoreError) -> [ExportEntry] {
        try db.execute("BEGIN")
        defer { try? db.execute("COMMIT") }
        let orders = try rows(selectOrders, from, to) { s in
            ExportedOrder(
                orderID: s.string(0), customerID: s.string(1), units: Int(s.int64(2)), tier: s.string(3), depot: s.string(4),
                notBefore: s.optionalInt64(5).map(Timestamp.init(milliseconds:)),
                deadline: s.optionalInt64(6).map(Timestamp.init(milliseconds:)),
                clearedAt: Timestamp(milliseconds: s.int64(7)), receivedAt: Timestamp(milliseconds: s.int64(8)))
        }
        let complaints = try rows(selectComplaints, from, to) { s in
            HistoryExport.ComplaintRow(at: Timestamp(milliseconds: s.int64(0)), orderID: s.string(1))
        }
        let changes = try rows(selectCapacityChanges, from, to) { s in
            CapacityChange(
                depot: s.string(0), from: Timestamp(milliseconds: s.int64(1)), to: Timestamp(milliseconds: s.int64(2)),
                capacity: s.optionalInt64(3).map { Int($0) }, reason: s.optionalString(4),
                at: Timestamp(milliseconds: s.int64(5)), actor: s.string(6))
        }
        let expedites = try rows(selectExpedites, from, to) { s in
            ExpediteRecord(
                orderID: s.string(0), depot: s.string(1), actor: s.string(2), at: Timestamp(milliseconds: s.int64(3)),
                reason: s.string(4), slotStart: s.int64(5), committed: s.int64(6) != 0, displacedCount: Int(s.int64(7)))
        }
        return HistoryExport.entries(
            from: from, to: to, orders: orders, complaints: complaints, capacityChanges: changes, expedites: expedites)
    }

    /// Every row of `statement` run with `from` and `to` (milliseconds) as ?1 and ?2.
    private func rows<T>(
        _ statement: SQLiteStatement, _ from: Timestamp, _ to: Timestamp, _ row: (SQLiteStatement) -> T
    ) throws(StoreError) -> [T] {
        statement.reset()
        defer { statement.reset() }
        statement.bind(1, from.milliseconds)
        statement.bind(2, to.milliseconds)
        var result: [T] = []
        while try statement.step() { result.append(row(statement)) }
        return result
    }

    /// Closes the connection.
    public func close() { db.close() }
}
