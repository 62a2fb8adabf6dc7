import FairwayCore
import FairwayProtocol
import Glibc
import Testing

@testable import FairwayClient

/// What a new user meets in the first hour: `--version`, the sample clump,
/// a missing file, a daemon that cannot be reached, dates alone in CSV.
@Suite(.serialized) struct FirstHourTests {
    @Test func versionIsPrintedWithoutADaemon() {
        for arguments in [["--version"], ["status", "--version"], ["--socket", "/nonexistent/sock", "--version"]] {
            let run = runCtl(arguments)
            #expect(run.exit == .success)
            #expect(run.out == "fairwayctl \(FairwayVersion.current)\n")
            #expect(run.err.isEmpty)
        }
        #expect(runCtl(["--version=1"]).exit == .usage)
        #expect(CommandCatalog.generalHelp().contains("--version"))
    }

    @Test func aMissingFileIsNotAUsageError() {
        let run = runCtl(["--socket", "/nonexistent/sock", "submit", "nope.csv"])
        #expect(run.exit == .daemonError)
        #expect(run.err == "fairwayctl: submit: cannot read nope.csv: No such file or directory; nothing was sent\n")
        #expect(run.out.isEmpty)
    }

    // MARK: - The sample clump

    private func sampleOrders(now: String) throws -> [SourcedOrder] {
        let run = runCtl(["sample", "--now", now])
        #expect(run.exit == .success && run.err.isEmpty)
        return try OrderFileReader.csvOrders(Array(run.out.utf8), source: "sample").get()
    }

    @Test func theSampleIsDatedFromTheClockAndOtherwiseAlwaysTheSame() throws {
        let now = Timestamp(rfc3339: "2027-03-15T10:20:30Z")!
        let orders = try sampleOrders(now: "2027-03-15T10:20:30Z")
        #expect(orders.count == 300)
        let objects = orders.map { $0.order.objectValue! }
        #expect(objects.map { $0.string("order_id")! } == (0..<300).map { "SO-\(240_001 + $0)" })
        #expect(Set(objects.map { $0.string("customer_id")! }).count == 40)
        #expect(Set(objects.map { $0.string("tier")! }) == ["platinum", "gold", "standard", "basic"])
        #expect(Set(objects.map { $0.string("depot")! }) == ["north", "south"])
        var withDeadline = 0
        var withNotBefore = 0
        for order in objects {
            // Cleared in the last three and a half hours, never in the future.
            let cleared = Timestamp(rfc3339: order.string("cleared_at")!)!
            #expect(cleared <= now && now.seconds - cleared.seconds <= 3 * 3600 + 30 * 60)
            if let deadline = order.string("deadline") {
                withDeadline += 1
                #expect(Timestamp(rfc3339: deadline)! > now)
            }
            if let notBefore = order.string("not_before") {
                // Written as a date alone; read as its midnight UTC, days ahead.
                withNotBefore += 1
                #expect(notBefore.hasSuffix("T00:00:00Z"))
                #expect(Timestamp(rfc3339: notBefore)!.seconds - now.seconds >= 2 * 86_400)
            }
            let units = order.int("units")!
            #expect((1...20).contains(units))
        }
        #expect(withDeadline > 10 && withNotBefore > 5)

        // A year later: the same orders, customers, sizes and depots; only the times moved.
        let later = try sampleOrders(now: "2028-03-15T10:20:30Z").map { $0.order.objectValue! }
        let fixed = ["order_id", "customer_id", "units", "depot", "tier", "notes"]
        #expect(later.map { o in fixed.map { o.display($0) } } == objects.map { o in fixed.map { o.display($0) } })
        #expect(later.map { $0.string("cleared_at") } != objects.map { $0.string("cleared_at") })
        // And the same clock gives the same text.
        #expect(runCtl(["sample", "--now", "2027-03-15T10:20:30Z"]).out == runCtl(["sample", "--now", "2027-03-15T10:20:30Z"]).out)
    }

    @Test func theSampleUsesTheClockWhenNoTimeIsGiven() throws {
        let output = OutputBox()
        let context = ClientContext(
            environment: [:], readInput: { _ in .success([]) }, standardInputIsTerminal: false,
            writeOutput: { output.text += $0 }, writeError: { output.text += $0 },
            now: { Timestamp(rfc3339: "2030-01-02T03:04:05Z")! })
        #expect(FairwayCtl.run(["sample"], context: context) == .success)
        #expect(output.text == SampleClump.csv(now: Timestamp(rfc3339: "2030-01-02T03:04:05Z")!))
        #expect(runCtl(["sample", "--now", "yesterday"]).exit == .usage)
        #expect(runCtl(["sample", "extra"]).exit == .usage)
    }

    // MARK: - Dates alone in CSV

    @Test func aDateAloneInACSVTimeIsItsMidnightUTC() throws {
        let csv = "order_id,customer_id,cleared_at,not_before,deadline,notes\nA,C,2026-12-07, 2026-12-09 ,2026-12-24T12:00:00+01:00,2026-12-07\nB,C,2026-13-07,07.12.2026,,\n"
        let orders = try OrderFileReader.csvOrders(Array(csv.utf8), source: "in.csv").get()
        #expect(orders[0].order.jsonText
            == #"{"order_id":"A","customer_id":"C","cleared_at":"2026-12-07T00:00:00Z","not_before":"2026-12-09T00:00:00Z","deadline":"2026-12-24T12:00:00+01:00","notes":"2026-12-07"}"#)
        // Not a date: sent as it is, for the daemon to name.
        #expect(orders[1].order.jsonText == #"{"order_id":"B","customer_id":"C","cleared_at":"2026-13-07","not_before":"07.12.2026"}"#)
        #expect(WireTime.requestTime("2026-12-07") == "2026-12-07T00:00:00Z")
        #expect(WireTime.requestTime("2026-02-30") == nil)
        #expect(WireTime.requestTime("2026-12-07T10:00:00Z") == "2026-12-07T10:00:00Z")
    }

    // MARK: - A daemon that cannot be reached

    @Test func anAbsentSocketNamesThePathItsOriginAndWhatToCheck() {
        let run = runCtl(["--socket", "/tmp/fairway-no-such-dir/sock", "status"])
        #expect(run.exit == .unreachable)
        #expect(run.out.isEmpty)
        #expect(run.err.hasPrefix(
            "fairwayctl: cannot reach fairwayd at /tmp/fairway-no-such-dir/sock (from --socket): No such file or directory\n"))
        #expect(run.err.contains("systemctl status fairway"))
        let fromEnvironment = runCtl(["order", "X"], environment: ["FAIRWAY_SOCKET": "/tmp/fairway-no-such-dir/env"])
        #expect(fromEnvironment.err.hasPrefix("fairwayctl: cannot reach fairwayd at /tmp/fairway-no-such-dir/env (from $FAIRWAY_SOCKET)"))
        #expect(SocketChoice(option: nil, environment: "").path == FairwayCtl.defaultSocketPath)
        #expect(SocketChoice(option: nil, environment: nil).origin.hasPrefix("the default"))
    }

    @Test func aSocketNobodyListensOnSaysTheDaemonIsNotRunning() throws {
        // A socket file that is bound but not listening: connect gets ECONNREFUSED.
        let path = "/tmp/fairway-refused-\(getpid()).sock"
        unlink(path)
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd); unlink(path) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8)) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        try #require(bound == 0)
        let run = runCtl(["--socket", path, "status"])
        #expect(run.exit == .unreachable)
        #expect(run.err.contains("Connection refused"))
        #expect(run.err.contains("nothing listens on it: fairwayd is not running"))
    }

    @Test func permissionDeniedPointsAtTheFairwayGroup() {
        let socket = SocketChoice(option: nil, environment: nil)
        let text = UnreachableHint.message(ConnectionError(kind: .connect, path: socket.path, errorNumber: EACCES), socket: socket)
        #expect(text.hasPrefix("cannot reach fairwayd at /run/fairway/fairway.sock (the default; --socket or $FAIRWAY_SOCKET name another): Permission denied\n"))
        #expect(text.contains("'fairway' group"))
        // A connection lost later is said as it is.
        let lost = ConnectionError(kind: .closed, path: "/s")
        #expect(UnreachableHint.message(lost, socket: socket) == lost.description)
    }

    @Test func withJSONTheFailureIsAJSONErrorObject() throws {
        for arguments in [["status"], ["submit", "in.csv"]] {
            let run = runCtl(["--json", "--socket", "/tmp/fairway-no-such-dir/sock"] + arguments, files: ["in.csv": "order_id,customer_id\nA,C\n"])
            #expect(run.exit == .unreachable)
            let lines = run.out.split(separator: "\n")
            try #require(lines.count == 1)
            let answer = try JSONParser.parse(Array(lines[0].utf8)).objectValue!
            #expect(answer["ok"] == JSON(false))
            let error = answer.object("error")!
            #expect(error.string("code") == "unreachable")
            #expect(error.string("message")!.hasPrefix("cannot reach fairwayd at /tmp/fairway-no-such-dir/sock (from --socket): No such file or directory No socket there"))
            #expect(!run.err.isEmpty)
        }
    }
}

/// Collects output in a test (used from one thread).
private final class OutputBox {
    var text = ""
}
