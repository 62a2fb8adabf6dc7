import FairwayCore
import FairwayStore
import FairwayTestSupport
import Foundation
import Testing

private func config() -> FairwayConfig {
    var c = FairwayConfig()
    c.stateDirectory = "/unused"
    c.defaultDepot = "main"
    c.defaultTier = "standard"
    c.commitHorizon = 1
    c.leadSlots = 0
    c.tiers = [.init(name: "gold", weight: 8), .init(name: "standard", weight: 2)]
    c.depots = [.init(name: "main", slotLength: 3600, capacity: 3)]
    return c
}

@Suite struct StoreTests {
    let now = Timestamp(seconds: 1_795_392_000)

    @Test func writtenStateLoadsBackIdentically() throws {
        let directory = try TemporaryDirectory(prefix: "fairway-store")
        defer { directory.remove() }
        let dir = directory.path
        var s = Scheduler(config: config(), now: now)
        let store = try Store(directory: dir, durability: .full)
        _ = try s.submit((0..<10).map { OrderSubmission(orderID: "O-\($0)", customerID: "C-\($0 % 4)", units: 1 + $0 % 2,
            tier: $0 % 3 == 0 ? "gold" : nil, notes: $0 == 2 ? "fragile: \"glass\"" : nil) }, now: now, actor: "uid=0")
        try store.write(s.drainChanges(), from: s)
        _ = try s.complain(orderID: "O-5", channel: "phone", note: "where is it", now: now, actor: "uid=0")
        _ = try s.close(orderID: "O-0", as: .delivered, reason: nil, now: now, actor: "uid=0")
        _ = try s.close(orderID: "O-7", as: .cancelled, reason: "asked", now: now, actor: "uid=0")
        try store.write(s.drainChanges(), from: s)
        store.close()

        let reopened = try Store(directory: dir, durability: .full)
        let restored = try reopened.load()
        #expect(restored.orders == s.orders)
        var r = try Scheduler(config: config(), restoring: restored, now: now)
        #expect(r.status() == s.status())
        #expect(try r.customer("C-1") == s.customer("C-1"))
        let history = try reopened.history(orderID: "O-5")
        #expect(history.contains { $0.kind == "complaint" })
    }

    /// Free bytes on the filesystem of the temporary directory.
    static var freeBytes: Int {
        var fs = statvfs()
        return statvfs(NSTemporaryDirectory(), &fs) == 0 ? Int(fs.f_bavail) * Int(fs.f_frsize) : 0
    }

    @Test(.enabled(if: freeBytes > Store.walPrefillBytes + Store.walPrefillKeepFree, "needs room for the WAL prefill"))
    func theWriteAheadLogIsWrittenAheadSoCommitsOverwriteIt() throws {
        let directory = try TemporaryDirectory(prefix: "fairway-store")
        defer { directory.remove() }
        let dir = directory.path
        let wal = dir + "/" + Store.fileName + "-wal"
        func size() -> Int { (try? FileManager.default.attributesOfItem(atPath: wal)[.size] as? Int) ?? -1 }
        var s = Scheduler(config: config(), now: now)
        let store = try Store(directory: dir, durability: .full)
        #expect(size() == Store.walPrefillBytes)
        for batch in 0..<20 {
            _ = try s.submit((0..<50).map { OrderSubmission(orderID: "W-\(batch)-\($0)", customerID: "C-\($0 % 7)") }, now: now, actor: "uid=0")
            try store.write(s.drainChanges(), from: s)
        }
        #expect(size() == Store.walPrefillBytes, "a commit grew the WAL")
        store.close()
        let reopened = try Store(directory: dir, durability: .full)
        #expect(size() == Store.walPrefillBytes, "the prefill is written again at each start")
        #expect(try reopened.load().orders == s.orders)
        reopened.close()
    }

    @Test func aForeignFileIsRefusedWithAnExplanation() throws {
        let directory = try TemporaryDirectory(prefix: "fairway-store")
        defer { directory.remove() }
        let dir = directory.path
        try Data("this is not a database, it is a shopping list\n".utf8 + [UInt8](repeating: 7, count: 4096))
            .write(to: URL(fileURLWithPath: dir + "/" + Store.fileName))
        #expect {
            _ = try Store(directory: dir, durability: .full)
        } throws: { error in
            let e = error as! StoreError
            return e.kind == .foreign && e.message.contains("not a Fairway database")
        }
    }
}

@Suite struct HistoryExportReadTests {
    let now = Timestamp(seconds: 1_795_392_000)

    /// `export` reads on a second, read-only connection exactly what the
    /// owner's store wrote: orders, complaints, capacity changes, expedites.
    @Test func theHistoryReaderExportsWhatTheStoreWrote() throws {
        let directory = try TemporaryDirectory(prefix: "fairway-export")
        defer { directory.remove() }
        var s = Scheduler(config: config(), now: now)
        let store = try Store(directory: directory.path, durability: .full)
        defer { store.close() }
        _ = try s.submit((0..<10).map { OrderSubmission(orderID: "O-\($0)", customerID: "C-\($0 % 4)", units: 1 + $0 % 2,
            tier: $0 % 3 == 0 ? "gold" : nil, deadline: $0 == 4 ? now.adding(seconds: 86_400) : nil) }, now: now, actor: "uid=0")
        // Last in service order: an expedite brings it earlier.
        _ = try s.submit([OrderSubmission(orderID: "O-10", customerID: "C-9", units: 1)], now: now, actor: "uid=0")
        let later = now.adding(seconds: 90)
        _ = try s.complain(orderID: "O-5", channel: "phone", note: nil, now: later, actor: "uid=0")
        _ = try s.setCapacity(
            depot: "main", from: now.adding(seconds: 3600), to: now.adding(seconds: 7200), capacity: 2, reason: "truck",
            now: later, actor: "uid=0")
        _ = try s.expedite(orderID: "O-10", reason: "ward 4", now: later.adding(seconds: 1), actor: "uid=0")
        try store.write(s.drainChanges(), from: s)

        let reader = try HistoryReader(path: store.path)
        defer { reader.close() }
        let entries = try reader.exportEntries(from: now, to: now.adding(seconds: 3600))
        let orders = entries.compactMap { e -> ExportedOrder? in if case .order(let o) = e { o } else { nil } }
        #expect(orders.map(\.orderID) == (0...10).map { "O-\($0)" })
        for o in orders {
            let stored = s.storedOrder(o.orderID)!
            #expect(o == ExportedOrder(
                orderID: stored.orderID, customerID: stored.customerID, units: Int(stored.units), tier: stored.tier,
                depot: stored.depot, notBefore: stored.notBefore, deadline: stored.deadline, clearedAt: stored.clearedAt,
                receivedAt: stored.receivedAt))
        }
        #expect(Array(entries.dropFirst(11)) == [
            .complaint(at: later, orderID: "O-5"),
            .capacity(CapacityChange(
                depot: "main", from: now.adding(seconds: 3600), to: now.adding(seconds: 7200), capacity: 2, reason: "truck",
                at: later, actor: "uid=0")),
            .expedite(at: later.adding(seconds: 1), orderID: "O-10", reason: "ward 4"),
        ])
        // A window from after the orders holds nothing about them.
        #expect(try reader.exportEntries(from: later, to: later.adding(seconds: 60))
            == [.capacity(CapacityChange(
                depot: "main", from: now.adding(seconds: 3600), to: now.adding(seconds: 7200), capacity: 2, reason: "truck",
                at: later, actor: "uid=0"))])
    }
}
