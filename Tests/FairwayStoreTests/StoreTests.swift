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
