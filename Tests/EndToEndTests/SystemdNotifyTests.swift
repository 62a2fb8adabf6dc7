import FairwayPOSIX
import FairwayProtocol
import Foundation
import Glibc
import Testing

/// `sd_notify` as the real daemon speaks it, heard on a test-owned
/// `NOTIFY_SOCKET`: READY=1, STATUS=, WATCHDOG=1 at half of WATCHDOG_USEC,
/// RELOADING=1 + MONOTONIC_USEC= then READY=1 around SIGHUP, STOPPING=1 and
/// exit 0 on SIGTERM. Serialized: the watchdog timings want a quiet machine.
@Suite(.serialized) struct SystemdNotifyTests {
    /// The debug-build hook that stalls the state owner while a file exists.
    static let stallVariable = "FAIRWAY_TEST_STALL_FILE"

    @Test func readyStatusAndWatchdogPingsAtHalfTheWatchdogTime() throws {
        let d = try DaemonFixture(start: false)
        let notify = try d.startNotified(["WATCHDOG_USEC": "400000"])
        let ready = try #require(notify.waitForMessage { $0.fields["READY"] == "1" }, "no READY=1")
        #expect(notify.messages[ready].fields["STATUS"]?.contains("0 queued") == true, "\(notify.messages[ready].text)")

        // STATUS= follows the state.
        let c = try d.client()
        #expect(try c.call(submitJSON((0..<3).map { orderJSON("S-\($0)", "C-\($0)") }))["accepted"] == JSON(3))
        #expect(notify.waitForMessage(after: ready) { $0.fields["STATUS"]?.hasPrefix("0 queued, 3 committed") == true } != nil,
                "\(notify.messages.map(\.text))")

        // WATCHDOG_USEC=400000: a ping about every 200 ms.
        let start = notify.messages[ready].at
        #expect(waitUntil(timeout: 20) { notify.pingTimes.filter { $0 >= start }.count >= 16 })
        let pings = notify.pingTimes.filter { $0 >= start }
        let gaps = zip(pings.dropFirst(), pings).map { $0 - $1 }.sorted()
        let median = gaps[gaps.count / 2]
        #expect(median > 0.15 && median < 0.26, "gaps: \(gaps)")
        // Later than 400 ms would have systemd kill the daemon; allow one hiccup of a loaded machine.
        #expect(gaps.filter { $0 >= 0.4 }.count <= 1, "gaps: \(gaps)")
        print("watchdog gaps (s): median \(median), max \(gaps.last!), \(gaps.count) gaps")
        #expect(d.stop() == 0)
    }

    @Test func noPingsWhenTheWatchdogIsForAnotherProcess() throws {
        let d = try DaemonFixture(start: false)
        let notify = try d.startNotified(["WATCHDOG_USEC": "400000", "WATCHDOG_PID": "1"])
        #expect(notify.waitForMessage { $0.fields["READY"] == "1" } != nil)
        usleep(1_200_000)
        #expect(notify.pingTimes.isEmpty)
        #expect(d.stop() == 0)
    }

    @Test func watchdogPingsStopWhileTheSchedulerStallsAndResumeAfter() throws {
        let d = try DaemonFixture(start: false)
        let stall = d.dir.path + "/stall"
        let notify = try d.startNotified(["WATCHDOG_USEC": "400000", Self.stallVariable: stall])
        #expect(waitUntil(timeout: 20) { notify.pingTimes.count >= 3 })

        #expect(FileManager.default.createFile(atPath: stall, contents: nil))
        #expect(d.waitForStderr("test stall hook: \(stall) exists"))
        // The owner logs, then blocks: no ping after the log line. A margin
        // covers a ping sent just before and read late by our thread.
        let stalledAt = MonotonicClock.seconds()
        usleep(1_500_000)
        let during = notify.pingTimes.filter { $0 > stalledAt + 0.3 }
        #expect(during.isEmpty, "pings while stalled: \(during.map { $0 - stalledAt })")

        // A request made during the stall waits, and is answered after it.
        let c = try d.client()
        try c.send(["id": 1, "op": "status"])
        unlink(stall)
        let resumedAt = MonotonicClock.seconds()
        #expect(try c.receive(timeout: 30).isOK)
        #expect(waitUntil(timeout: 20) { notify.pingTimes.filter { $0 > resumedAt }.count >= 3 })
        #expect(d.stop() == 0)
    }

    @Test func sighupWithAGoodConfigPutsItInForceAndKeepsPromises() throws {
        let d = try DaemonFixture(start: false)
        let notify = try d.startNotified()
        #expect(notify.waitForMessage { $0.fields["READY"] == "1" } != nil)
        let c = try d.client()
        #expect(try c.call(submitJSON((0..<12).map { orderJSON("P-\($0)", "C-\($0 % 4)") }))["accepted"] == JSON(12))
        let before = try (0..<12).map { try c.call(["op": "order", "order_id": .string("P-\($0)")])["order"]! }

        let body = DaemonFixture.defaultConfig
            .replacingOccurrences(of: "capacity = 10", with: "capacity = 25")
            .replacingOccurrences(of: "weight = 4", with: "weight = 6")
            .replacingOccurrences(of: "slot-length = 1d", with: "slot-length = 2h")
            .replacingOccurrences(of: "[tier.platinum]", with: "[limits]\nmax-batch = 5\n[tier.platinum]")
        try d.writeConfig(log: "stderr", body)
        let mark = notify.messages.count
        let sentAt = MonotonicClock.seconds()
        d.signal(SIGHUP)

        let reloading = try #require(notify.waitForMessage(after: mark) { $0.fields["RELOADING"] == "1" }, "no RELOADING=1")
        let usec = try #require(notify.messages[reloading].fields["MONOTONIC_USEC"].flatMap { UInt64($0) }, "no MONOTONIC_USEC")
        #expect(Double(usec) / 1e6 >= sentAt - 0.01 && Double(usec) / 1e6 <= notify.messages[reloading].at + 0.01)
        let ready = try #require(notify.waitForMessage(after: reloading + 1) { $0.fields["READY"] == "1" }, "no READY=1 after the reload")
        #expect(notify.messages[ready].fields["STATUS"]?.contains("restart needed for [depot.south] slot-length") == true,
                "\(notify.messages[ready].text)")

        // In force: capacity, weights, limits. Needs a restart: slot-length.
        let depots = try d.status().depotsByName
        #expect(depots["main"]?["capacity_per_slot"] == JSON(25))
        #expect(depots["south"]?["slot_length_s"] == JSON(86_400))
        _ = try c.call(submitJSON([orderJSON("G-1", "C-gold", tier: "gold")]))
        #expect(try c.call(["op": "order", "order_id": "G-1"])["order"]?.objectValue?["weight"] == JSON(6))
        let tooMany = try c.call(submitJSON((0..<6).map { orderJSON("M-\($0)", "C-m") }))
        #expect(!tooMany.isOK)
        // Promises did not move.
        let after = try (0..<12).map { try c.call(["op": "order", "order_id": .string("P-\($0)")])["order"]! }
        for (b, a) in zip(before, after) {
            #expect(a.objectValue?["slot_start"] == b.objectValue?["slot_start"])
            #expect(a.objectValue?["state"] == b.objectValue?["state"])
        }
        let log = d.stderr()
        #expect(log.contains("configuration reloaded"))
        #expect(log.contains("reload_needs_restart"))
        #expect(log.contains("[depot.south] slot-length changed from 1d to 2h: a restart is needed"), "\(log)")
        #expect(notify.pingTimes.isEmpty, "no WATCHDOG_USEC, no pings")
        #expect(d.stop() == 0)
    }

    @Test func sighupWithABadConfigKeepsTheRunningOne() throws {
        let d = try DaemonFixture(start: false)
        let notify = try d.startNotified()
        #expect(notify.waitForMessage { $0.fields["READY"] == "1" } != nil)
        let c = try d.client()
        #expect(try c.call(submitJSON([orderJSON("B-1", "C-1", depot: "south")])).isOK)

        // A file the parser refuses: the log names file, line and key.
        let text = d.configText(log: "stderr", DaemonFixture.defaultConfig.replacingOccurrences(of: "capacity = 10", with: "capacity = lots"))
        let line = try #require(text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("capacity = lots") }) + 1
        try text.write(toFile: d.configPath, atomically: true, encoding: .utf8)
        var mark = notify.messages.count
        d.signal(SIGHUP)
        var reloading = try #require(notify.waitForMessage(after: mark) { $0.fields["RELOADING"] == "1" }, "no RELOADING=1")
        #expect(notify.messages[reloading].fields["MONOTONIC_USEC"] != nil)
        #expect(notify.waitForMessage(after: reloading + 1) { $0.fields["READY"] == "1" } != nil, "no READY=1 after a refused reload")
        #expect(d.waitForStderr("\(d.configPath):\(line): capacity:"), "\(d.stderr())")
        #expect(d.stderr().contains("reload_failed"))
        #expect(try d.status().depotsByName["main"]?["capacity_per_slot"] == JSON(10))

        // A file the state cannot take (a depot with an open order removed).
        try d.writeConfig(log: "stderr", DaemonFixture.defaultConfig.replacingOccurrences(of: "[depot.south]\nslot-length = 1d\ncapacity = 100", with: ""))
        mark = notify.messages.count
        d.signal(SIGHUP)
        reloading = try #require(notify.waitForMessage(after: mark) { $0.fields["RELOADING"] == "1" }, "no RELOADING=1")
        let ready = try #require(notify.waitForMessage(after: reloading + 1) { $0.fields["READY"] == "1" }, "no READY=1")
        #expect(notify.messages[ready].fields["STATUS"]?.contains("last reload refused") == true, "\(notify.messages[ready].text)")
        #expect(d.waitForStderr("depot 'south' holds 1 open orders"), "\(d.stderr())")
        #expect(try d.status().depotsByName["south"] != nil)
        #expect(try c.call(["op": "order", "order_id": "B-1"]).isOK)
        #expect(d.stop() == 0)
    }

    @Test func sigtermSendsStoppingAnswersWhatIsInFlightAndExitsZero() throws {
        let d = try DaemonFixture(start: false)
        let stall = d.dir.path + "/stall"
        let notify = try d.startNotified([Self.stallVariable: stall])
        #expect(notify.waitForMessage { $0.fields["READY"] == "1" } != nil)
        let c = try d.client()

        // Hold the owner so that the submit is still in flight when SIGTERM comes.
        #expect(FileManager.default.createFile(atPath: stall, contents: nil))
        #expect(d.waitForStderr("test stall hook: \(stall) exists"))
        try c.send(submitJSON((0..<200).map { orderJSON("T-\($0)", "C-\($0 % 7)") }, id: 9))
        #expect(waitUntil(timeout: 20) { UnixSockets.unreadBytes(c.fd) == 0 }, "the daemon did not read the request")
        let mark = notify.messages.count
        d.signal(SIGTERM)
        #expect(notify.waitForMessage(after: mark) { $0.fields["STOPPING"] == "1" } != nil, "no STOPPING=1")
        unlink(stall)

        let answer = try c.receive(timeout: 30)
        #expect(answer["id"] == JSON(9))
        #expect(answer["accepted"] == JSON(200), "\(answer)")
        #expect(d.process?.wait(timeout: 30) == 0)
        #expect(d.stderr().contains("every acknowledged change is on disk"))
        // Closed cleanly: the WAL was checkpointed and removed.
        let wal = d.dir.path + "/state/fairway.sqlite3-wal"
        let walSize = (try? FileManager.default.attributesOfItem(atPath: wal)[.size] as? Int) ?? 0
        #expect(walSize == 0)

        try d.start()
        let status = try d.status()
        #expect(status["queued"]!.intValue! + status["committed"]!.intValue! == 200)
        #expect(d.stop() == 0)
    }
}
