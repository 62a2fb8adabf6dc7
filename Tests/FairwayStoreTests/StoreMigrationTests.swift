import FairwayCore
@testable import FairwayStore
import Foundation
import Testing

/// A database as version 1 of the schema wrote it: one committed, one
/// delivered and one queued order.
private let version1 = """
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
    INSERT INTO orders VALUES(1, 'O-1', 'C-1', 1, 'main', 'gold', 8, 1795392000000, 1795392000000, NULL, NULL, NULL,
      0.125, 'committed', 1795392000, 3600, 0, NULL, 'uid=0');
    INSERT INTO orders VALUES(2, 'O-2', 'C-2', 2, 'main', 'standard', 2, 1795392000000, 1795392000000, NULL, NULL, NULL,
      1.0, 'delivered', 1795392000, 3600, 1, 1795393000000, 'uid=0');
    INSERT INTO orders VALUES(3, 'O-3', 'C-3', 3, 'main', 'standard', 2, 1795392000000, 1795392000000, NULL, NULL, NULL,
      1.5, 'queued', NULL, 3600, 0, NULL, 'uid=0');
    INSERT INTO customers VALUES('C-1', 'gold'), ('C-2', 'standard'), ('C-3', 'standard');
    INSERT INTO depots VALUES('main', 1.0);
    PRAGMA application_id = 1180123481;
    PRAGMA user_version = 1;
    """

@Suite struct StoreMigrationTests {
    @Test func aVersionOneDatabaseOpensAndUpgrades() throws {
        let dir = NSTemporaryDirectory() + "fairway-migrate-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let old = try SQLiteConnection(path: dir + "/" + Store.fileName)
        try old.execute(version1)
        old.close()

        let store = try Store(directory: dir, durability: .full)
        let restored = try store.load()
        let orders = Array(restored.orders)
        #expect(orders.map(\.orderID) == ["O-1", "O-2", "O-3"])
        // Before version 2 no promise moved: the first promise is the slot.
        #expect(orders[0].firstPromise == 1_795_392_000)
        #expect(orders[1].firstPromise == 1_795_392_000)
        #expect(orders[2].firstPromise == nil)
        #expect(orders[1].outcome == .onTime)
        #expect(orders.allSatisfy { $0.promiseMoves == 0 && !$0.expedited && $0.attempts.isEmpty })
        #expect(restored.capacityChanges.isEmpty)

        // The upgraded file takes the new columns and tables.
        var config = FairwayConfig()
        config.stateDirectory = dir
        config.defaultDepot = "main"
        config.defaultTier = "standard"
        config.tiers = [.init(name: "gold", weight: 8), .init(name: "standard", weight: 2)]
        config.depots = [.init(name: "main", slotLength: 3600, capacity: 3)]
        let now = Timestamp(seconds: 1_795_392_000)
        var s = try Scheduler(config: config, restoring: restored, now: now)
        try store.write(s.drainChanges(), from: s)
        _ = try s.fail(orderID: "O-1", reason: "customer_absent", note: "out", at: now, retry: true, now: now, actor: "uid=0")
        _ = try s.setCapacity(
            depot: "main", from: now.adding(seconds: 7200), to: now.adding(seconds: 10800), capacity: 1, reason: "truck",
            now: now, actor: "uid=0")
        try store.write(s.drainChanges(), from: s)
        store.close()
        let reopened = try Store(directory: dir, durability: .full)
        let again = try reopened.load()
        #expect(Array(again.orders) == Array(s.orders))
        #expect(again.capacityChanges.count == 1)
        #expect(again.orders[OrderTable.Position(0)].attempts.map(\.note) == ["out"])
        let version = try SQLiteConnection(path: dir + "/" + Store.fileName)
        let statement = try version.prepare("PRAGMA user_version")
        #expect(try statement.step() && statement.int64(0) == Int64(Store.schemaVersion))
        reopened.close()
    }
}
