import FairwayProtocol
import Foundation
import Glibc
import Testing

/// Disk full: changes are refused with
/// `unavailable` and change nothing, reads keep working, and service resumes
/// by itself when the disk is writable again. Uses a small tmpfs (needs root).
@Suite(.serialized) struct StorageFaultTests {
    static var canMount: Bool { getuid() == 0 }

    func mountTmpfs(_ path: String, size: String) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let p = try ChildProcess.spawn("/bin/mount", arguments: ["-t", "tmpfs", "-o", "size=\(size)", "tmpfs", path], environment: [:])
        guard p.wait() == 0 else { throw FixtureError("mount tmpfs failed") }
    }

    func remount(_ path: String, _ options: String) throws {
        let p = try ChildProcess.spawn("/bin/mount", arguments: ["-o", "remount,\(options)", path], environment: [:])
        guard p.wait() == 0 else { throw FixtureError("remount \(options) failed") }
    }

    func unmount(_ path: String) {
        _ = try? ChildProcess.spawn("/bin/umount", arguments: ["-l", path], environment: [:]).wait()
    }

    func config(_ stateDir: String) -> String {
        DaemonFixture.defaultConfig.replacingOccurrences(of: "capacity = 10", with: "capacity = 100000")
    }

    @Test(.enabled(if: canMount))
    func aFullDiskRefusesChangesKeepsReadsAndRecovers() throws {
        let d = try DaemonFixture(start: false)
        let state = d.dir.path + "/state"
        try mountTmpfs(state, size: "1m")
        defer { unmount(state) }
        try d.start()
        let c = try d.client()
        var refused: JSONObject?
        var accepted = 0
        var batch = 0
        let notes = String(repeating: "n", count: 1500)
        while refused == nil && batch < 200 {
            let orders = (0..<50).map { orderJSON("F-\(batch)-\($0)", "C-\($0 % 5)", extra: [("notes", .string(notes))]) }
            let r = try c.call(submitJSON(orders, id: batch))
            if r.isOK { accepted += 50 } else { refused = r }
            batch += 1
        }
        let answer = try #require(refused)
        #expect(answer.errorCode == "unavailable", "\(answer)")
        #expect(answer.errorMessage.contains("nothing was changed"))
        // Nothing of the refused batch is stored; reads work.
        #expect(try c.call(["op": "order", "order_id": .string("F-\(batch - 1)-0")]).errorCode == "not_found")
        let status = try c.call(["op": "status"])
        #expect(status.isOK)
        #expect(status["queued"]!.intValue! + status["committed"]!.intValue! == accepted)
        #expect(d.stderr().contains("could not write"))
        // Space returns: service resumes without a restart.
        try remount(state, "size=64m")
        let again = try c.call(submitJSON([orderJSON("AFTER-1", "C-1")]))
        #expect(again.isOK, "\(again)")
        #expect(try c.call(["op": "order", "order_id": "AFTER-1"]).isOK)
        #expect(d.stop() == 0)
        try d.start()
        #expect(try d.client().call(["op": "status"])["queued"]!.intValue! + (try d.client().call(["op": "status"])["committed"]!.intValue!) == accepted + 1)
    }

    @Test func aForeignDatabaseFileStopsStartUpWithAnExplanation() throws {
        let d = try DaemonFixture(start: false)
        try FileManager.default.createDirectory(atPath: d.dir.path + "/state", withIntermediateDirectories: true)
        try Data(repeating: 0x41, count: 8192).write(to: URL(fileURLWithPath: d.dir.path + "/state/fairway.sqlite3"))
        #expect(throws: FixtureError.self) { try d.start() }
        #expect(d.stderr().contains("not a Fairway database"))
    }
}
