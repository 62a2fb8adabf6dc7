import FairwayProtocol
import FairwayTestSupport
import Foundation
import Glibc
import Testing

/// Squatters: connections from users other than root, held open by `nc`
/// processes run as those users (`setpriv`), so the daemon reads their real
/// peer credentials. They may not take the slots kept for operators, nor more
/// than `max-connections-per-user` each.
@Suite struct SquatterTests {
    static let canRun = getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")
        && FileManager.default.isExecutableFile(atPath: "/usr/bin/nc")

    /// Opens a connection as `uid` that stays open (nc keeps it while the
    /// daemon does) and writes what the daemon says into `out`.
    static func hold(_ d: DaemonFixture, uid: Int, out: String) throws -> ChildProcess {
        try ChildProcess.spawn(
            "/usr/bin/setpriv", arguments: ["--reuid=\(uid)", "--regid=\(uid)", "--clear-groups", "/usr/bin/nc", "-U", d.socketPath],
            stderrPath: out, stdoutPath: out)
    }

    /// What the daemon says to one more connection as `uid`, which it must close.
    static func refusal(_ d: DaemonFixture, uid: Int) throws -> String {
        let out = d.dir.appending("refused-\(uid).out")
        let p = try hold(d, uid: uid, out: out)
        #expect(p.wait(timeout: 20) != nil, "the refused connection of uid \(uid) is closed")
        return try String(contentsOfFile: out, encoding: .utf8)
    }

    @Test(.enabled(if: SquatterTests.canRun, "needs root, setpriv and nc"))
    func aReaderHoldingEveryOpenSlotLeavesTheOperatorsAnswered() throws {
        let d = try DaemonFixture(
            config: DaemonFixture.defaultConfig + "\n[access]\nreaders = *\n[limits]\nmax-connections = 16\n"
                + "reserved-operator-connections = 4\nmax-connections-per-user = 10\n",
            extraDaemon: "socket-mode = 0666")
        chmod(d.dir.path, 0o755)
        var held: [ChildProcess] = []
        defer { for p in held { p.killNow(); _ = p.wait() } }
        // Root's probe holds one slot throughout (every connection counts
        // towards the slots that are not kept).
        let probe = try d.client()
        func count(_ role: String) -> Int? { (try? probe.call(["op": "status"]))?["connections"]?.objectValue?[role]?.intValue }
        // nobody takes 10 connections, its most: the 11th is refused naming the bound.
        for i in 0..<10 { held.append(try Self.hold(d, uid: 65534, out: d.dir.appending("nobody-\(i).out"))) }
        #expect(waitUntil(timeout: 20, interval: 0.1) { count("reader") == 10 })
        let perUserAnswer = try Self.refusal(d, uid: 65534)
        #expect(perUserAnswer.contains("\"unavailable\"") && perUserAnswer.contains("max-connections-per-user 10"), "\(perUserAnswer)")
        // Another reader takes the last slot that is not kept for operators; its next is refused.
        held.append(try Self.hold(d, uid: 65533, out: d.dir.appending("other.out")))
        #expect(waitUntil(timeout: 20, interval: 0.1) { count("reader") == 11 })
        let reservedAnswer = try Self.refusal(d, uid: 65533)
        #expect(reservedAnswer.contains("\"unavailable\"") && reservedAnswer.contains("reserved-operator-connections"), "\(reservedAnswer)")
        // Root, an operator, takes every reserved slot and is answered on each.
        var operators: [Client] = []
        for _ in 0..<4 { operators.append(try d.client()) }
        for c in operators { #expect(try c.call(["op": "status"]).isOK) }
        let counts = try probe.call(["op": "status"])["connections"]?.objectValue ?? [:]
        #expect(counts["total"] == JSON(16))
        #expect(counts["operator"] == JSON(5))
        #expect(counts["reader"] == JSON(11))
        #expect(counts["none"] == JSON(0))
        // Beyond max-connections even an operator is refused, naming the bound.
        let beyond = try d.client().receive(timeout: 10)
        #expect(beyond.errorCode == "unavailable")
        #expect(beyond.errorMessage.contains("max-connections 16"))
        #expect(d.stop() == 0)
    }
}
