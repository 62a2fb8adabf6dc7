import FairwayProtocol
import Foundation
import Glibc
import Testing

/// The listening socket: passed in by socket activation, or bound by the
/// daemon itself, replacing a stale socket file but never a live one.
@Suite struct SystemdActivationTests {
    static let socketActivate = "/usr/bin/systemd-socket-activate"

    @Test(.enabled(if: access(SystemdActivationTests.socketActivate, X_OK) == 0, "needs systemd-socket-activate"))
    func socketActivationHandsTheSocketOver() throws {
        let d = try DaemonFixture(start: false)
        let activated = d.dir.path + "/s.sock"
        // systemd-socket-activate binds, waits for the first connection, then
        // execs fairwayd (same pid) with LISTEN_FDS=1 and LISTEN_FDNAMES=fairway.
        let p = try ChildProcess.spawn(
            Self.socketActivate, arguments: ["-l", activated, "--fdname=fairway", binaryDirectory() + "/fairwayd", "--config", d.configPath],
            environment: ChildProcess.plainEnvironment(), stderrPath: d.stderrPath)
        defer {
            if p.exitStatus() == nil { kill(p.pid, SIGKILL); _ = p.wait() }
        }
        // The file appears at bind(), before listen(): until then a connect
        // is refused, so the first client retries.
        var connected: Client?
        #expect(waitUntil(timeout: 20) { connected = try? Client(path: activated); return connected != nil }, "\(d.stderr())")

        // The first client's connection is handed over with the socket.
        let first = try #require(connected)
        let status = try first.call(["id": 1, "op": "status"], timeout: 30)
        #expect(status.isOK, "\(status)")
        let submitted = try first.call(submitJSON([orderJSON("A-1", "C-1")]))
        #expect(submitted["accepted"] == JSON(1))
        let second = try Client(path: activated)
        #expect(try second.call(["op": "order", "order_id": "A-1"])["order"]?.objectValue?["state"] == "committed")

        #expect(d.waitForStderr("ready on a socket passed by systemd"), "\(d.stderr())")  // the log writer is its own thread
        #expect(!FileManager.default.fileExists(atPath: d.socketPath), "fairwayd bound the config's socket itself")
        kill(p.pid, SIGTERM)
        #expect(p.wait(timeout: 30) == 0)
    }

    @Test func aStaleSocketFileIsReplaced() throws {
        let d = try DaemonFixture(start: false)
        // A socket file nobody listens on, as a daemon killed with -9 leaves.
        try UnixSockets.bound(d.socketPath, .stream).close()
        #expect(FileManager.default.fileExists(atPath: d.socketPath))

        try d.start()
        #expect(try d.status().isOK)
        #expect(d.stop() == 0)
        #expect(!FileManager.default.fileExists(atPath: d.socketPath), "the socket file is removed on a clean stop")
    }

    @Test func aLiveSocketMakesASecondDaemonRefuseToStart() throws {
        let first = try DaemonFixture()
        let second = try DaemonFixture(start: false)  // its own state directory, the first one's socket
        let p = try ChildProcess.spawn(
            binaryDirectory() + "/fairwayd", arguments: ["--config", second.configPath, "--socket", first.socketPath],
            environment: ChildProcess.plainEnvironment(), stderrPath: second.stderrPath)
        #expect(p.wait(timeout: 30) == 1)
        #expect(second.stderr().contains("cannot listen: another fairwayd answers on \(first.socketPath)"), "\(second.stderr())")
        // The first one is untouched.
        #expect(FileManager.default.fileExists(atPath: first.socketPath))
        #expect(try first.status().isOK)
        #expect(first.stop() == 0)
    }

    @Test func aSecondDaemonOnTheSameStateDirectoryRefusesToStart() throws {
        let first = try DaemonFixture()
        let otherSocket = first.dir.path + "/other.sock"
        let p = try ChildProcess.spawn(
            binaryDirectory() + "/fairwayd", arguments: ["--config", first.configPath, "--socket", otherSocket],
            environment: ChildProcess.plainEnvironment(), stderrPath: first.dir.path + "/second.log")
        #expect(p.wait(timeout: 30) == 1)
        let log = (try? String(contentsOfFile: first.dir.path + "/second.log", encoding: .utf8)) ?? ""
        #expect(log.contains("another fairwayd (pid \(first.process!.pid)) uses the state directory \(first.dir.path)/state"), "\(log)")
        #expect(!FileManager.default.fileExists(atPath: otherSocket))
        #expect(try first.status().isOK)
        #expect(first.stop() == 0)
    }
}
