import FairwayProtocol
import Foundation
import Glibc
import Testing

/// Disk full: changes are refused with
/// `unavailable` and change nothing, reads keep working, and service resumes
/// by itself when the disk is writable again. Uses a small tmpfs (needs root).
/// Read-only: an ext4 image on a loop device that the kernel turns read-only
/// under the running daemon (`errors=remount-ro`); same refusals, and after
/// the repair (`e2fsck`) a restart finds every acknowledged order.
@Suite(.serialized) struct StorageFaultTests {
    static var canMount: Bool { getuid() == 0 }

    /// A system tool by name, as a full path (posix_spawn does not search PATH).
    static func tool(_ name: String) -> String? {
        ["/usr/sbin", "/sbin", "/usr/bin", "/bin"].map { $0 + "/" + name }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Root, loop devices, ext4 and the tools to make and repair it.
    static var canUseLoopExt4: Bool {
        getuid() == 0 && FileManager.default.fileExists(atPath: "/dev/loop-control")
            && ["losetup", "mkfs.ext4", "e2fsck", "mount", "umount"].allSatisfy { tool($0) != nil }
            && ((try? String(contentsOfFile: "/proc/filesystems", encoding: .utf8)) ?? "")
                .split(separator: "\n").contains { $0.split(separator: "\t").last == "ext4" }
    }

    /// Runs a tool that must succeed (exit status in `ok`); returns its standard output.
    @discardableResult
    func mustRun(_ name: String, _ arguments: [String], ok: Set<Int32> = [0]) throws -> String {
        guard let path = Self.tool(name) else { throw FixtureError("\(name) not found") }
        let r = try runCommand(path, arguments, environment: [:])
        guard ok.contains(r.status) else {
            throw FixtureError("\(name) \(arguments.joined(separator: " ")) exited \(r.status): \(r.stdout)\(r.stderr)")
        }
        return r.stdout
    }

    /// The options of the filesystem mounted at `path`, from /proc/mounts.
    func mountOptions(_ path: String) -> [String]? {
        let mounts = (try? String(contentsOfFile: "/proc/mounts", encoding: .utf8)) ?? ""
        for line in mounts.split(separator: "\n") {
            let f = line.split(separator: " ")
            if f.count >= 4 && f[1] == path { return f[3].split(separator: ",").map(String.init) }
        }
        return nil
    }

    /// The errno of creating a file in `dir`, or 0 when that worked.
    func createError(in dir: String) -> Int32 {
        let fd = open(dir + "/probe", O_CREAT | O_WRONLY | O_CLOEXEC, 0o644)
        if fd < 0 { return errno }
        close(fd)
        unlink(dir + "/probe")
        return 0
    }

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

    /// Batches of 50 commit on the state owner's thread, batches of 100 on
    /// the commit thread (`Store.pauseEvery` new orders or more): both
    /// refuse cleanly.
    @Test(.enabled(if: canMount), arguments: [50, 100])
    func aFullDiskRefusesChangesKeepsReadsAndRecovers(batchSize: Int) throws {
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
            let orders = (0..<batchSize).map { orderJSON("F-\(batch)-\($0)", "C-\($0 % 5)", extra: [("notes", .string(notes))]) }
            let r = try c.call(submitJSON(orders, id: batch))
            if r.isOK { accepted += batchSize } else { refused = r }
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
        // The log writer is a thread of its own: the line may follow the answer.
        #expect(d.waitForStderr("could not write"), "\(d.stderr())")
        // Space returns: service resumes without a restart.
        try remount(state, "size=64m")
        let again = try c.call(submitJSON([orderJSON("AFTER-1", "C-1")]))
        #expect(again.isOK, "\(again)")
        #expect(try c.call(["op": "order", "order_id": "AFTER-1"]).isOK)
        #expect(d.stop() == 0)
        try d.start()
        #expect(try d.client().call(["op": "status"])["queued"]!.intValue! + (try d.client().call(["op": "status"])["committed"]!.intValue!) == accepted + 1)
    }

    /// The kernel turns the state directory's filesystem read-only under the
    /// running daemon: `errors=remount-ro` plus an ext4 error injected through
    /// sysfs (`trigger_fs_error`), what a failing disk does. (A plain
    /// `mount -o remount,ro` is refused with EBUSY while the database is open
    /// for writing, `remount,bind,ro` too.) After such an error the ext4
    /// journal is aborted and the kernel will not make that mount writable
    /// again (`mount -o remount,rw` fails, or reports success while writes
    /// still fail with EROFS), so recovery is: stop, unmount, `e2fsck`,
    /// mount, start.
    @Test(.enabled(if: canUseLoopExt4, "needs root, /dev/loop-control, ext4, losetup, mkfs.ext4 and e2fsck"))
    func aStateDirectoryTurnedReadOnlyRefusesChangesKeepsReadsAndLosesNothing() throws {
        let d = try DaemonFixture(start: false)
        let dir = d.dir.path
        let state = dir + "/state"
        let image = dir + "/state.ext4"
        var loop: String?
        defer {
            d.kill9()
            unmount(state)
            if let loop { _ = try? mustRun("losetup", ["-d", loop]) }
        }
        // A 32 MiB ext4 image on a loop device, mounted as the state directory.
        let fd = open(image, O_CREAT | O_WRONLY | O_CLOEXEC, 0o600)
        #expect(fd >= 0 && ftruncate(fd, 32 << 20) == 0)
        close(fd)
        try mustRun("mkfs.ext4", ["-q", "-F", image])
        let device = try mustRun("losetup", ["--find", "--show", image]).trimmingCharacters(in: .whitespacesAndNewlines)
        loop = device
        #expect(device.hasPrefix("/dev/loop"), "\(device)")
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        try mustRun("mount", ["-t", "ext4", "-o", "errors=remount-ro", device, state])
        let trigger = "/sys/fs/ext4/\(device.dropFirst("/dev/".count))/trigger_fs_error"
        try #require(FileManager.default.fileExists(atPath: trigger), "this kernel has no \(trigger)")

        try d.start()
        let c = try d.client()
        var acknowledged: [String] = []
        for batch in 0..<3 {
            let ids = (0..<10).map { "RO-\(batch)-\($0)" }
            let r = try c.call(submitJSON(ids.enumerated().map { orderJSON($1, "C-\($0 % 4)") }, id: batch))
            try #require(r.isOK, "\(r)")
            acknowledged += ids
        }

        // The kernel finds an "error" and turns the filesystem read-only
        // under the running daemon, as it would on a failing disk.
        try "1".write(toFile: trigger, atomically: false, encoding: .utf8)
        let options = try #require(mountOptions(state))
        #expect(options.contains("ro") || options.contains("emergency_ro"), "\(options)")
        #expect(createError(in: state) == EROFS, "the state directory is still writable")

        // Changes are refused and change nothing; the daemon stays up.
        for attempt in 0..<2 {
            let refused = try c.call(submitJSON([orderJSON("REFUSED-\(attempt)", "C-1"), orderJSON("REFUSED-\(attempt)-b", "C-2")], id: 10 + attempt))
            #expect(refused.errorCode == "unavailable", "\(refused)")
            #expect(refused.errorMessage.contains("Read-only file system"), "\(refused.errorMessage)")
            #expect(refused.errorMessage.contains("nothing was changed"), "\(refused.errorMessage)")
            #expect(try c.call(["op": "order", "order_id": .string("REFUSED-\(attempt)")]).errorCode == "not_found")
        }
        #expect(d.process?.exitStatus() == nil, "fairwayd stopped: \(d.stderr())")
        // Reads keep working.
        let status = try c.call(["op": "status"])
        #expect(status.isOK, "\(status)")
        #expect((status["queued"]?.intValue ?? 0) + (status["committed"]?.intValue ?? 0) == acknowledged.count, "\(status)")
        #expect(try c.call(["op": "queue"]).isOK)
        for id in acknowledged { #expect(try c.call(["op": "order", "order_id": .string(id)]).isOK, "\(id)") }
        // The log writer is a thread of its own: the line may follow the answer.
        #expect(d.waitForStderr("could not write"), "\(d.stderr())")
        #expect(d.stderr().contains("Read-only file system"))

        // After an ext4 error the journal is aborted: the kernel will not make
        // this mount writable again in place. Stop, repair, mount, restart.
        #expect(d.stop() == 0, "\(d.stderr())")
        try mustRun("umount", [state])
        try mustRun("e2fsck", ["-f", "-y", device], ok: [0, 1])
        try mustRun("mount", ["-t", "ext4", "-o", "errors=remount-ro", device, state])
        #expect(createError(in: state) == 0)
        try d.start()
        let c2 = try d.client()
        for id in acknowledged { #expect(try c2.call(["op": "order", "order_id": .string(id)]).isOK, "\(id) lost") }
        #expect(try c2.call(["op": "order", "order_id": "REFUSED-0"]).errorCode == "not_found")
        let again = try c2.call(submitJSON([orderJSON("AFTER-1", "C-1")]))
        #expect(again.isOK, "\(again)")
        let after = try c2.call(["op": "status"])
        #expect((after["queued"]?.intValue ?? 0) + (after["committed"]?.intValue ?? 0) == acknowledged.count + 1, "\(after)")
        #expect(d.stop() == 0)
    }

    @Test func aForeignDatabaseFileStopsStartUpWithAnExplanation() throws {
        let d = try DaemonFixture(start: false)
        try FileManager.default.createDirectory(atPath: d.dir.path + "/state", withIntermediateDirectories: true)
        try Data(repeating: 0x41, count: 8192).write(to: URL(fileURLWithPath: d.dir.path + "/state/fairway.sqlite3"))
        #expect(throws: FixtureError.self) { try d.start() }
        #expect(d.stderr().contains("not a Fairway database"))
    }
}
