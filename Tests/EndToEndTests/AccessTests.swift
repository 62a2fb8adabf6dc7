import FairwayProtocol
import Foundation
import Glibc
import Testing

/// Roles by peer credentials: a reader may query but not change state.
@Suite struct AccessTests {
    /// Runs fairwayctl as uid/gid 65534 (nobody) through setpriv.
    func ctlAsNobody(_ d: DaemonFixture, _ args: [String]) throws -> (Int32, String) {
        let err = d.dir.path + "/nobody.err"
        let p = try ChildProcess.spawn(
            "/usr/bin/setpriv",
            arguments: ["--reuid=65534", "--regid=65534", "--clear-groups", binaryDirectory() + "/fairwayctl", "--socket", d.socketPath] + args,
            environment: ProcessInfo.processInfo.environment, stderrPath: err)
        let status = p.wait()
        return (status, (try? String(contentsOfFile: err, encoding: .utf8)) ?? "")
    }

    @Test(.enabled(if: getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")))
    func aReaderIsRefusedEveryChangeAndAnOperatorIsAllowed() throws {
        let d = try DaemonFixture(config: DaemonFixture.defaultConfig + "\n[access]\nreaders = *\noperators = @fairway-ops\n",
                                  extraDaemon: "socket-mode = 0666")
        chmod(d.dir.path, 0o755)
        _ = try d.client().call(submitJSON([orderJSON("A-1", "C-1")]))
        #expect(try ctlAsNobody(d, ["status"]).0 == 0)
        #expect(try ctlAsNobody(d, ["order", "A-1"]).0 == 0)
        for args in [["complain", "A-1"], ["deliver", "A-1"], ["cancel", "A-1"], ["fail", "A-1", "--reason", "other"],
                     ["capacity", "main", "--from", "2026-11-24", "--to", "2026-11-25", "--set", "1", "--reason", "truck"]] {
            let (status, err) = try ctlAsNobody(d, args)
            #expect(status == 1, "\(args)")
            #expect(err.contains("forbidden"), "\(args): \(err)")
        }
        let csv = d.dir.path + "/one.csv"
        try "order_id,customer_id\nN-1,C-9\n".write(toFile: csv, atomically: true, encoding: .utf8)
        chmod(csv, 0o644)
        let (status, err) = try ctlAsNobody(d, ["submit", csv])
        #expect(status == 1)
        #expect(err.contains("forbidden"))
        // Nothing changed; root (an operator) still may.
        #expect(try d.client().call(["op": "order", "order_id": "N-1"]).errorCode == "not_found")
        #expect(try d.client().call(["op": "order", "order_id": "A-1"])["order"]!.objectValue!["complaints"] == JSON(0))
        #expect(try d.client().call(["op": "deliver", "order_id": "A-1"]).isOK)
    }

    @Test(.enabled(if: getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")))
    func someoneWithNoRoleMayNotEvenRead() throws {
        let d = try DaemonFixture(config: DaemonFixture.defaultConfig + "\n[access]\nreaders = root\n", extraDaemon: "socket-mode = 0666")
        chmod(d.dir.path, 0o755)
        let (status, err) = try ctlAsNobody(d, ["status"])
        #expect(status == 1)
        #expect(err.contains("forbidden"))
    }
}
