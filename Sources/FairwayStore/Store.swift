public import Dispatch
public import FairwayCore
import CSQLite

/// Fairway's durable state: one SQLite database (WAL mode) in the state
/// directory, written by one owner. Orders are stored by arrival number, so
/// the hot write path appends; the order-id index lives in memory.
public final class Store {
    /// The database file's name inside the state directory.
    public static let fileName = "fairway.sqlite3"
    /// `PRAGMA application_id` of a Fairway database ("FWAY").
    public static let applicationID: Int32 = 0x4657_4159
    /// The schema version this build writes.
    public static let schemaVersion: Int32 = 3
    /// WAL pages after which a commit checkpoints (`PRAGMA wal_autocheckpoint`).
    static let walCheckpointPages = 10000
    /// The WAL size of one checkpoint cycle (header, then frames of a 4 KiB
    /// page and a 24-byte header each), written ahead as zeros at start-up.
    public static let walPrefillBytes = 32 + (walCheckpointPages + 100) * (4096 + 24)
    /// The prefill is skipped unless this much space stays free after it.
    public static let walPrefillKeepFree = 1 << 30

    private let db: SQLiteConnection
    /// Where a clump's `COMMIT` runs while the owner answers lookups
    /// (started with the first such commit, ended by `close`).
    private var committer: BackgroundCommit?
    /// The database file's path.
    public let path: String
    private var insertOrder: SQLiteStatement!
    private var updateOrder: SQLiteStatement!
    private var insertComplaint: SQLiteStatement!
    private var upsertCustomer: SQLiteStatement!
    private var upsertDepot: SQLiteStatement!
    private var insertEvent: SQLiteStatement!
    private var insertAttempt: SQLiteStatement!
    private var insertCapacityChange: SQLiteStatement!
    private var insertExpedite: SQLiteStatement!

    /// Opens (or creates) the database in `directory`, checks that it is a
    /// Fairway database of a version this build reads, and upgrades its schema.
    public init(directory: String, durability: FairwayConfig.Durability) throws(StoreError) {
        path = directory.hasSuffix("/") ? directory + Self.fileName : directory + "/" + Self.fileName
        db = try SQLiteConnection(path: path)
        do {
            try checkIdentity()
            try db.execute("PRAGMA journal_mode=WAL")
            try db.execute("PRAGMA synchronous=\(durability == .full ? "FULL" : "NORMAL")")
            try db.execute("PRAGMA wal_autocheckpoint=\(Self.walCheckpointPages)")
            try migrate()
            // Before the first write of this run: commits overwrite, not append.
            WALPrefill.extend(path + "-wal", to: Self.walPrefillBytes, keepFree: Self.walPrefillKeepFree)
        } catch let e where e.kind == .foreign {
            throw StoreError(
                kind: .foreign, code: e.code,
                message: "\(path) is not a Fairway database or is damaged (\(e.message)); "
                    + "restore it from a backup, or move it away to start with an empty state")
        }
        insertOrder = try db.prepare("""
            INSERT INTO orders(seq, order_id, customer_id, units, depot, tier, weight, cleared_at, received_at,
              not_before, deadline, notes, tag, state, slot_start, slot_length, complaints, closed_at, submitted_by,
              first_promise, promise_moves, expedited, displaced, fail_reason)
            VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20,?21,?22,?23,?24)
            """)
        updateOrder = try db.prepare("""
            UPDATE orders SET state=?2, slot_start=?3, slot_length=?4, complaints=?5, closed_at=?6, first_promise=?7,
              promise_moves=?8, expedited=?9, displaced=?10, fail_reason=?11 WHERE seq=?1
            """)
        insertAttempt = try db.prepare("INSERT INTO attempts(order_seq, at, reason, note) VALUES(?1,?2,?3,?4)")
        insertExpedite = try db.prepare("""
            INSERT INTO expedites(order_id, depot, actor, at, reason, slot_start, committed, displaced_count)
            VALUES(?1,?2,?3,?4,?5,?6,?7,?8)
            """)
        insertCapacityChange = try db.prepare("""
            INSERT INTO capacity_changes(depot, from_ms, to_ms, capacity, reason, at, actor) VALUES(?1,?2,?3,?4,?5,?6,?7)
            """)
        insertComplaint = try db.prepare(
            "INSERT INTO complaints(order_seq, at, channel, note, actor) VALUES(?1,?2,?3,?4,?5)")
        upsertCustomer = try db.prepare(
            "INSERT INTO customers(customer_id, tier) VALUES(?1,?2) ON CONFLICT(customer_id) DO UPDATE SET tier=excluded.tier")
        upsertDepot = try db.prepare(
            "INSERT INTO depots(name, virtual_time) VALUES(?1,?2) ON CONFLICT(name) DO UPDATE SET virtual_time=excluded.virtual_time")
        insertEvent = try db.prepare(
            "INSERT INTO events(at, kind, actor, order_id, customer_id, depot, slot_start, message) VALUES(?1,?2,?3,?4,?5,?6,?7,?8)")
    }

    /// Ends the commit thread (if it was started) and closes the database
    /// cleanly (checkpointing the WAL).
    public func close() {
        committer?.stop()
        committer = nil
        insertOrder = nil
        updateOrder = nil
        insertComplaint = nil
        upsertCustomer = nil
        upsertDepot = nil
        insertEvent = nil
        insertAttempt = nil
        insertCapacityChange = nil
        insertExpedite = nil
        try? db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.close()
    }

    private func scalar(_ sql: String) throws(StoreError) -> Int64 {
        let s = try db.prepare(sql)
        return try s.step() ? s.int64(0) : 0
    }

    private func checkIdentity() throws(StoreError) {
        let app = Int32(truncatingIfNeeded: try scalar("PRAGMA application_id"))
        let version = Int32(truncatingIfNeeded: try scalar("PRAGMA user_version"))
        let tables = try scalar("SELECT count(*) FROM sqlite_master")
        if app == 0 && tables > 0 {
            throw StoreError(kind: .foreign, code: 0, message: "it holds \(tables) tables but no Fairway application id")
        }
        if app != 0 && app != Self.applicationID {
            throw StoreError(kind: .foreign, code: 0, message: "its application id is \(app), not Fairway's")
        }
        if version > Self.schemaVersion {
            throw StoreError(
                kind: .foreign, code: 0,
                message: "its schema version \(version) is newer than this build's \(Self.schemaVersion): run a newer fairwayd")
        }
    }

    /// Creates the schema or upgrades an older one, one version at a time.
    private func migrate() throws(StoreError) {
        let version = Int32(truncatingIfNeeded: try scalar("PRAGMA user_version"))
        if version < 1 {
            try db.execute("""
                BEGIN IMMEDIATE;
                CREATE TABLE orders(
                  seq INTEGER PRIMARY KEY, order_id TEXT NOT NULL, customer_id TEXT NOT NULL, units INTEGER NOT NULL,
                  depot TEXT NOT NULL, tier TEXT NOT NULL, weight INTEGER NOT NULL, cleared_at INTEGER NOT NULL,
                  received_at INTEGER NOT NULL, not_before INTEGER, deadline INTEGER, notes TEXT, tag REAL NOT NULL,
                  state TEXT NOT NULL, slot_start INTEGER, slot_length INTEGER NOT NULL, complaints INTEGER NOT NULL,
                  closed_at INTEGER, submitted_by TEXT NOT NULL);
                CREATE TABLE customers(customer_id TEXT PRIMARY KEY, tier TEXT NOT NULL) WITHOUT ROWID;
                CREATE TABLE depots(name TEXT PRIMARY KEY, virtual_time REAL NOT NULL) WITHOUT ROWID;
                CREATE TABLE complaints(id INTEGER PRIMARY KEY, order_seq INTEGER NOT NULL, at INTEGER NOT NULL,
                  channel TEXT, note TEXT, actor TEXT NOT NULL);
                CREATE INDEX complaints_by_order ON complaints(order_seq);
                CREATE TABLE events(id INTEGER PRIMARY KEY, at INTEGER NOT NULL, kind TEXT NOT NULL, actor TEXT NOT NULL,
                  order_id TEXT, customer_id TEXT, depot TEXT, slot_start INTEGER, message TEXT NOT NULL);
                PRAGMA application_id = \(Self.applicationID);
                PRAGMA user_version = 1;
                COMMIT;
                """)
        }
        if version < 2 {
            // Outcomes and capacity changes (contract 1.1). Before version 2
            // no promise ever moved: an order's first promise is its slot.
            try db.execute("""
                BEGIN IMMEDIATE;
                ALTER TABLE orders ADD COLUMN first_promise INTEGER;
                ALTER TABLE orders ADD COLUMN promise_moves INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE orders ADD COLUMN expedited INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE orders ADD COLUMN displaced INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE orders ADD COLUMN fail_reason TEXT;
                UPDATE orders SET first_promise = slot_start WHERE slot_start IS NOT NULL;
                CREATE TABLE attempts(id INTEGER PRIMARY KEY, order_seq INTEGER NOT NULL, at INTEGER NOT NULL,
                  reason TEXT NOT NULL, note TEXT);
                CREATE INDEX attempts_by_order ON attempts(order_seq);
                CREATE TABLE capacity_changes(id INTEGER PRIMARY KEY, depot TEXT NOT NULL, from_ms INTEGER NOT NULL,
                  to_ms INTEGER NOT NULL, capacity INTEGER, reason TEXT, at INTEGER NOT NULL, actor TEXT NOT NULL);
                PRAGMA user_version = 2;
                COMMIT;
                """)
        }
        if version < 3 {
            // The expedite ledger: who, when, why, the slot, how many displaced.
            try db.execute("""
                BEGIN IMMEDIATE;
                CREATE TABLE expedites(id INTEGER PRIMARY KEY, order_id TEXT NOT NULL, depot TEXT NOT NULL,
                  actor TEXT NOT NULL, at INTEGER NOT NULL, reason TEXT NOT NULL, slot_start INTEGER NOT NULL,
                  committed INTEGER NOT NULL, displaced_count INTEGER NOT NULL);
                PRAGMA user_version = 3;
                COMMIT;
                """)
        }
        // Future versions: `if version < 4 { ... PRAGMA user_version = 4 }`.
    }

    /// Reads everything needed to rebuild the scheduler.
    public func load() throws(StoreError) -> Scheduler.Restored {
        var restored = Scheduler.Restored()
        let count = try scalar("SELECT count(*) FROM orders")
        // Ids and notes: a guess (summing them would read the table twice).
        // Capacity beyond what is used costs address space, not memory.
        restored.reserveCapacity(orders: Int(count), textBytes: Int(count) * 128)
        var attempts: [Int64: [Attempt]] = [:]
        let a = try db.prepare("SELECT order_seq, at, reason, note FROM attempts ORDER BY id")
        while try a.step() {
            attempts[a.int64(0), default: []].append(
                Attempt(at: Timestamp(milliseconds: a.int64(1)), reason: a.string(2), note: a.optionalString(3)))
        }
        let s = try db.prepare("""
            SELECT seq, order_id, customer_id, units, depot, tier, weight, cleared_at, received_at, not_before,
              deadline, notes, tag, state, slot_start, slot_length, complaints, closed_at, submitted_by,
              first_promise, promise_moves, expedited, displaced, fail_reason
            FROM orders ORDER BY seq
            """)
        while try s.step() {
            let stateText = s.string(13)
            guard let state = OrderState(rawValue: stateText) else {
                throw StoreError(kind: .foreign, code: 0, message: "order row \(s.int64(0)) has unknown state '\(stateText)'")
            }
            let units = s.int64(3)
            guard units >= 0 && units <= Int64(Scheduler.maxUnits) else {
                throw StoreError(kind: .foreign, code: 0, message: "order row \(s.int64(0)) has \(units) units")
            }
            restored.append(Order(
                seq: s.int64(0), orderID: s.string(1), customerID: s.string(2), units: Int32(units),
                depot: s.string(4), tier: s.string(5), weight: Int32(s.int64(6)),
                clearedAt: Timestamp(milliseconds: s.int64(7)), receivedAt: Timestamp(milliseconds: s.int64(8)),
                notBefore: s.optionalInt64(9).map(Timestamp.init(milliseconds:)),
                deadline: s.optionalInt64(10).map(Timestamp.init(milliseconds:)), notes: s.optionalString(11),
                tag: s.double(12), state: state, slotStart: s.optionalInt64(14), slotLength: s.int64(15),
                complaints: Int32(s.int64(16)), closedAt: s.optionalInt64(17).map(Timestamp.init(milliseconds:)),
                submittedBy: s.string(18), firstPromise: s.optionalInt64(19), promiseMoves: Int32(clamping: s.int64(20)),
                expedited: s.int64(21) != 0, displaced: Int32(clamping: s.int64(22)), failReason: s.optionalString(23),
                attempts: attempts.isEmpty ? [] : attempts[s.int64(0)] ?? []))
        }
        let cc = try db.prepare("SELECT depot, from_ms, to_ms, capacity, reason, at, actor FROM capacity_changes ORDER BY id")
        while try cc.step() {
            restored.capacityChanges.append(CapacityChange(
                depot: cc.string(0), from: Timestamp(milliseconds: cc.int64(1)), to: Timestamp(milliseconds: cc.int64(2)),
                capacity: cc.optionalInt64(3).map { Int($0) }, reason: cc.optionalString(4),
                at: Timestamp(milliseconds: cc.int64(5)), actor: cc.string(6)))
        }
        let ex = try db.prepare("""
            SELECT order_id, depot, actor, at, reason, slot_start, committed, displaced_count FROM expedites ORDER BY id
            """)
        while try ex.step() {
            restored.expedites.append(ExpediteRecord(
                orderID: ex.string(0), depot: ex.string(1), actor: ex.string(2), at: Timestamp(milliseconds: ex.int64(3)),
                reason: ex.string(4), slotStart: ex.int64(5), committed: ex.int64(6) != 0, displacedCount: Int(ex.int64(7))))
        }
        let c = try db.prepare("SELECT customer_id, tier FROM customers")
        while try c.step() { restored.setTier(c.string(1), customer: c.string(0)) }
        let d = try db.prepare("SELECT name, virtual_time FROM depots")
        while try d.step() { restored.virtualTimes[d.string(0)] = d.double(1) }
        return restored
    }

    /// Writes one batch of changes in one transaction (`BEGIN IMMEDIATE` ...
    /// `COMMIT`). When this returns, the changes are on disk; when it throws,
    /// none of them is. `pause` is called every `pauseEvery` new orders, so
    /// the caller can answer lookups while a clump is written; with `wake`,
    /// the `COMMIT` of a clump runs on the commit thread and `pause` is
    /// called each time `wake` is signalled (by others than the store).
    public func write(
        _ changes: ChangeSet, from scheduler: Scheduler, wake: DispatchSemaphore? = nil, pause: () -> Void = {}
    ) throws(StoreError) {
        guard !changes.isEmpty else { return }
        try db.execute("BEGIN IMMEDIATE")
        do {
            let orders = scheduler.orders
            for (n, i) in changes.newOrders.enumerated() {
                if n % Self.pauseEvery == Self.pauseEvery - 1 { pause() }
                let o = orders.order(at: i)
                let s = insertOrder!
                s.bind(1, o.seq)
                s.bind(2, o.orderID)
                s.bind(3, o.customerID)
                s.bind(4, Int64(o.units))
                s.bind(5, o.depot)
                s.bind(6, o.tier)
                s.bind(7, Int64(o.weight))
                s.bind(8, o.clearedAt.milliseconds)
                s.bind(9, o.receivedAt.milliseconds)
                s.bind(10, o.notBefore?.milliseconds)
                s.bind(11, o.deadline?.milliseconds)
                s.bind(12, o.notes)
                s.bind(13, o.tag)
                s.bind(14, o.state.rawValue)
                s.bind(15, o.slotStart)
                s.bind(16, o.slotLength)
                s.bind(17, Int64(o.complaints))
                s.bind(18, o.closedAt?.milliseconds)
                s.bind(19, o.submittedBy)
                s.bind(20, o.firstPromise)
                s.bind(21, Int64(o.promiseMoves))
                s.bind(22, Int64(o.expedited ? 1 : 0))
                s.bind(23, Int64(o.displaced))
                s.bind(24, o.failReason)
                try s.run()
            }
            let inserted = Set(changes.newOrders)
            for i in changes.updatedOrders.sorted() where !inserted.contains(i) {
                let o = orders.order(at: i)
                let s = updateOrder!
                s.bind(1, o.seq)
                s.bind(2, o.state.rawValue)
                s.bind(3, o.slotStart)
                s.bind(4, o.slotLength)
                s.bind(5, Int64(o.complaints))
                s.bind(6, o.closedAt?.milliseconds)
                s.bind(7, o.firstPromise)
                s.bind(8, Int64(o.promiseMoves))
                s.bind(9, Int64(o.expedited ? 1 : 0))
                s.bind(10, Int64(o.displaced))
                s.bind(11, o.failReason)
                try s.run()
            }
            for (seq, attempt) in changes.attempts {
                let s = insertAttempt!
                s.bind(1, seq)
                s.bind(2, attempt.at.milliseconds)
                s.bind(3, attempt.reason)
                s.bind(4, attempt.note)
                try s.run()
            }
            for c in changes.capacityChanges {
                let s = insertCapacityChange!
                s.bind(1, c.depot)
                s.bind(2, c.from.milliseconds)
                s.bind(3, c.to.milliseconds)
                s.bind(4, c.capacity.map { Int64($0) })
                s.bind(5, c.reason)
                s.bind(6, c.at.milliseconds)
                s.bind(7, c.actor)
                try s.run()
            }
            for e in changes.expedites {
                let s = insertExpedite!
                s.bind(1, e.orderID)
                s.bind(2, e.depot)
                s.bind(3, e.actor)
                s.bind(4, e.at.milliseconds)
                s.bind(5, e.reason)
                s.bind(6, e.slotStart)
                s.bind(7, Int64(e.committed ? 1 : 0))
                s.bind(8, Int64(e.displacedCount))
                try s.run()
            }
            for c in changes.complaints {
                let s = insertComplaint!
                s.bind(1, c.orderSeq)
                s.bind(2, c.at.milliseconds)
                s.bind(3, c.channel)
                s.bind(4, c.note)
                s.bind(5, c.actor)
                try s.run()
            }
            for id in changes.customers.sorted() {
                guard let tier = scheduler.customerTier(id) else { continue }
                upsertCustomer.bind(1, id)
                upsertCustomer.bind(2, tier)
                try upsertCustomer.run()
            }
            for name in changes.depots.sorted() {
                guard let v = scheduler.virtualTime(depot: name) else { continue }
                upsertDepot.bind(1, name)
                upsertDepot.bind(2, v)
                try upsertDepot.run()
            }
            for e in changes.events where e.kind != .ingested {
                let s = insertEvent!
                s.bind(1, e.at.milliseconds)
                s.bind(2, e.kind.rawValue)
                s.bind(3, e.actor)
                s.bind(4, e.orderID)
                s.bind(5, e.customerID)
                s.bind(6, e.depot)
                s.bind(7, e.slotStart)
                s.bind(8, e.message)
                try s.run()
            }
            pause()
            if let wake, changes.newOrders.count >= Self.pauseEvery {
                try commit(wake: wake, pause: pause)
            } else {
                try db.execute("COMMIT")
            }
        } catch {
            try? db.execute("ROLLBACK")
            throw error
        }
    }

    /// `COMMIT` on the commit thread, with `pause` called on `wake`'s
    /// signals meanwhile. (A small transaction commits on the caller's
    /// thread: the hand-over would cost more than the lookups it lets through.)
    private func commit(wake: DispatchSemaphore, pause: () -> Void) throws(StoreError) {
        let db = db
        if committer == nil {
            // Without a commit thread (none could be started) the COMMIT runs here.
            guard let started = try? BackgroundCommit() else { return try db.execute("COMMIT") }
            committer = started
        }
        nonisolated(unsafe) var failure: StoreError?
        committer?.run({
            do throws(StoreError) { try db.execute("COMMIT") } catch { failure = error }
        }, wake: wake, pause: pause)
        if let failure { throw failure }
    }

    /// New orders written between two calls of `write`'s `pause`.
    public static let pauseEvery = 64

    /// The recorded history of an order: (time, kind, actor, message), oldest first.
    public func history(orderID: String) throws(StoreError) -> [(at: Timestamp, kind: String, actor: String, message: String)] {
        let s = try db.prepare("SELECT at, kind, actor, message FROM events WHERE order_id = ?1 ORDER BY id")
        s.bind(1, orderID)
        var rows: [(at: Timestamp, kind: String, actor: String, message: String)] = []
        while try s.step() { rows.append((Timestamp(milliseconds: s.int64(0)), s.string(1), s.string(2), s.string(3))) }
        return rows
    }
}
