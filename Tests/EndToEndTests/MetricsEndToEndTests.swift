import FairwayProtocol
import Foundation
import Glibc
import Testing

/// `metrics` on the real daemon, checked by the real tools: promtool, and a
/// real Prometheus scraping `fairwayctl metrics --http` served by
/// `systemd-socket-activate` the way `fairway-metrics.socket` serves it.
@Suite struct MetricsEndToEndTests {
    static let promtool = "/usr/bin/promtool"
    static let prometheus = "/usr/bin/prometheus"
    static let socketActivate = "/usr/bin/systemd-socket-activate"

    /// The value of the samples of `name` whose labels include `labels`, summed.
    static func sum(_ text: String, _ name: String, _ labels: [String] = []) -> Double {
        text.split(separator: "\n").filter { line in
            (line.hasPrefix(name + "{") || line.hasPrefix(name + " ")) && labels.allSatisfy { line.contains($0) }
        }.compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }.reduce(0, +)
    }

    @Test func theCountersFollowWhatTheDaemonDid() throws {
        let d = try DaemonFixture()
        let c = try d.client()
        #expect(try c.call(submitJSON((0..<25).map { orderJSON("M-\($0)", "C-\($0 % 4)", tier: $0 % 2 == 0 ? "gold" : "standard") })).isOK)
        #expect(try c.call(["op": "deliver", "order_id": "M-0"]).isOK)
        #expect(try c.call(["op": "cancel", "order_id": "M-1"]).isOK)
        #expect(try c.call(["op": "complain", "order_id": "M-2"]).isOK)
        let status = try c.call(["op": "status"])
        let answer = try c.call(["op": "metrics"])
        #expect(answer.isOK)
        let text = answer["text"]!.stringValue!
        #expect(Self.sum(text, "fairway_orders_received_total") == 25)
        #expect(Self.sum(text, "fairway_orders_received_total", ["tier=\"gold\""]) == 13)
        #expect(Self.sum(text, "fairway_orders_closed_total", ["outcome=\"on_time\""]) == 1)
        #expect(Self.sum(text, "fairway_orders_closed_total", ["outcome=\"cancelled\""]) == 1)
        #expect(Self.sum(text, "fairway_orders_open", ["state=\"queued\""]) == Double(status["queued"]!.intValue!))
        #expect(Self.sum(text, "fairway_orders_open", ["state=\"committed\""]) == Double(status["committed"]!.intValue!))
        #expect(Self.sum(text, "fairway_complaints_total") == 1)
        #expect(Self.sum(text, "fairway_horizon_capacity_units", ["depot=\"main\""]) == 20)
        // Full: the room M-1's cancellation freed went to the head of the queue.
        #expect(Self.sum(text, "fairway_horizon_used_units", ["depot=\"main\""]) == 20)
        #expect(Self.sum(text, "fairway_request_duration_seconds_count", ["op=\"submit\""]) == 1)
        #expect(Self.sum(text, "fairway_connections") >= 1)
        #expect(Self.sum(text, "process_resident_memory_bytes") > 0)
        for family in [
            "fairway_queue_units", "fairway_virtual_time", "fairway_promises_moved_total", "fairway_expedites_total",
            "process_start_time_seconds",
        ] {
            #expect(text.contains("# TYPE \(family) "), "\(family) missing")
        }
        // No label takes customer or order ids.
        #expect(!text.contains("C-1") && !text.contains("M-1"))
        #expect(try c.call(["op": "metrics", "depot": "main"]).errorCode == "invalid_argument")

        // The same counts after a restart (counted again from the store).
        try d.restart()
        let again = try d.client().call(["op": "metrics"])["text"]!.stringValue!
        #expect(Self.sum(again, "fairway_orders_received_total") == 25)
        #expect(Self.sum(again, "fairway_orders_closed_total", ["outcome=\"cancelled\""]) == 1)
        #expect(Self.sum(again, "fairway_complaints_total") == 1)
    }

    @Test(.enabled(if: access(MetricsEndToEndTests.promtool, X_OK) == 0, "needs promtool (Debian package prometheus)"))
    func promtoolAcceptsTheOutputOfFairwayctlMetrics() throws {
        let d = try DaemonFixture()
        let c = try d.client()
        #expect(try c.call(submitJSON((0..<5).map { orderJSON("P-\($0)", "C-\($0)") })).isOK)
        #expect(try c.call(["op": "order", "order_id": "P-0"]).isOK)
        let (status, text, _) = try CommandLineTests().ctl(d, ["metrics"])
        #expect(status == 0)
        let file = d.dir.path + "/metrics.txt"
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        let check = try runCommand("/bin/sh", ["-c", "\(Self.promtool) check metrics < \(file)"])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        #expect(check.stdout.isEmpty && check.stderr.isEmpty, "promtool's remarks: \(check.stdout)\(check.stderr)")
    }

    @Test func metricsHTTPAnswersOneGetAndRefusesOtherMethods() throws {
        let d = try DaemonFixture()
        let (status, out, _) = try CommandLineTests().ctl(d, ["metrics", "--http"], stdin: "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(status == 0)
        #expect(out.hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(out.contains("Content-Type: text/plain; version=0.0.4"))
        let body = out.components(separatedBy: "\r\n\r\n").dropFirst().joined(separator: "\r\n\r\n")
        #expect(out.contains("Content-Length: \(body.utf8.count)\r\n"))
        #expect(body.contains("# TYPE fairway_orders_open gauge"))
        let (_, post, _) = try CommandLineTests().ctl(d, ["metrics", "--http"], stdin: "POST /metrics HTTP/1.1\r\n\r\n")
        #expect(post.hasPrefix("HTTP/1.1 405 Method Not Allowed\r\n"))
        let (_, head, _) = try CommandLineTests().ctl(d, ["metrics", "--http"], stdin: "HEAD / HTTP/1.0\r\n\r\n")
        #expect(head.hasPrefix("HTTP/1.1 200 OK\r\n") && head.hasSuffix("\r\n\r\n"))
        try? FileManager.default.removeItem(atPath: d.socketPath)
        _ = d.stop()
        let (down, unavailable, _) = try CommandLineTests().ctl(d, ["metrics", "--http"], stdin: "GET / HTTP/1.1\r\n\r\n")
        #expect(down == 3)
        #expect(unavailable.hasPrefix("HTTP/1.1 503 Service Unavailable\r\n"))
    }

    @Test(.enabled(
        if: access(MetricsEndToEndTests.prometheus, X_OK) == 0 && access(MetricsEndToEndTests.socketActivate, X_OK) == 0,
        "needs prometheus and systemd-socket-activate"))
    func aRealPrometheusScrapesTheSameNumbersAsStatus() throws {
        let d = try DaemonFixture()
        let c = try d.client()
        #expect(try c.call(submitJSON((0..<40).map { orderJSON("R-\($0)", "C-\($0 % 7)") })).isOK)
        #expect(try c.call(["op": "deliver", "order_id": "R-0"]).isOK)
        let status = try c.call(["op": "status"])
        let open = status["queued"]!.intValue! + status["committed"]!.intValue!

        let scrapePort = try freeLoopbackPort(), webPort = try freeLoopbackPort()
        let served = try ChildProcess.spawn(
            Self.socketActivate,
            arguments: ["--inetd", "--accept", "-l", "127.0.0.1:\(scrapePort)", binaryDirectory() + "/fairwayctl",
                        "--socket", d.socketPath, "--timeout", "10", "metrics", "--http"],
            environment: ChildProcess.plainEnvironment(), stderrPath: d.dir.path + "/activate.err")
        // systemd-socket-activate does not stop on SIGTERM while it waits for connections.
        defer { kill(served.pid, SIGKILL); _ = served.wait() }
        try """
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
            scrape_configs:
              - job_name: fairway
                static_configs:
                  - targets: ['127.0.0.1:\(scrapePort)']
            """.write(toFile: d.dir.path + "/prometheus.yml", atomically: true, encoding: .utf8)
        let prometheus = try ChildProcess.spawn(
            Self.prometheus,
            arguments: ["--config.file=\(d.dir.path)/prometheus.yml", "--storage.tsdb.path=\(d.dir.path)/tsdb",
                        "--web.listen-address=127.0.0.1:\(webPort)", "--log.level=warn"],
            environment: ChildProcess.plainEnvironment(), stderrPath: d.dir.path + "/prometheus.err")
        defer { kill(prometheus.pid, SIGTERM); _ = prometheus.wait() }

        var value: String?
        let query = "/api/v1/query?query=sum(fairway_orders_open)"
        let found = waitUntil(timeout: 40, interval: 0.25) {
            guard let body = httpGet(port: webPort, path: query),
                let json = try? JSONParser.parse(Array(body.utf8)).objectValue,
                let result = json["data"]?.objectValue?["result"]?.arrayValue?.first?.objectValue,
                let sample = result["value"]?.arrayValue, sample.count == 2
            else { return false }
            value = sample[1].stringValue
            return true
        }
        let log = (try? String(contentsOfFile: d.dir.path + "/prometheus.err", encoding: .utf8)) ?? ""
        #expect(found, "Prometheus never had fairway_orders_open: \(log)")
        #expect(value == String(open))
    }
}

extension MetricsEndToEndTests {
    @Test(.enabled(if: access(MetricsEndToEndTests.promtool, X_OK) == 0, "needs promtool (Debian package prometheus)"))
    func theAlertRulesOfTheOperationsGuideAreValid() throws {
        let guide = try String(contentsOfFile: SystemdUnitTests.repository + "/docs/operations.md", encoding: .utf8)
        let marked = try #require(guide.range(of: "<!-- alert-rules"))
        let rest = guide[marked.upperBound...]
        let open = try #require(rest.range(of: "```yaml\n"))
        let close = try #require(rest[open.upperBound...].range(of: "```"))
        let rules = String(rest[open.upperBound..<close.lowerBound])
        #expect(rules.contains("fairway_orders_closed_total") && rules.contains("fairway_promises_moved_total"))
        let dir = try TemporaryDirectory()
        try rules.write(toFile: dir.path + "/fairway-rules.yml", atomically: true, encoding: .utf8)
        let check = try runCommand(Self.promtool, ["check", "rules", dir.path + "/fairway-rules.yml"])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        #expect(check.stdout.contains("SUCCESS: 2 rules found"), "\(check.stdout)")
    }

    @Test(.enabled(if: SystemdUnitTests.canRun, "needs make and systemd-analyze"))
    func theMetricsUnitsInstallVerifyAndAreHardened() throws {
        let root = try TemporaryDirectory()
        let vars = [
            "PREFIX": root.path + "/usr/local", "UNITDIR": root.path + "/units", "SYSUSERSDIR": root.path + "/sysusers.d",
            "CONFDIR": root.path + "/etc/fairway", "BINSRC": binaryDirectory(),
        ]
        let installed = try SystemdUnitTests.make("install-files", vars)
        #expect(installed.status == 0, "\(installed.stderr)")
        let units = root.path + "/units/"
        let service = try String(contentsOfFile: units + "fairway-metrics@.service", encoding: .utf8)
        #expect(service.contains("ExecStart=\(root.path)/usr/local/bin/fairwayctl --socket /run/fairway/fairway.sock"))
        let verify = try runCommand(
            SystemdUnitTests.analyze,
            ["verify", units + "fairway-metrics.socket", units + "fairway-metrics@.service", units + "fairway.socket"],
            environment: ChildProcess.plainEnvironment().merging(["SYSTEMD_LOG_LEVEL": "notice", "SYSTEMD_PAGER": ""]) { _, b in b })
        #expect(verify.status == 0, "\(verify.stderr)")
        let complaints = (verify.stdout + verify.stderr).split(separator: "\n").filter { $0.contains("fairway") }
        #expect(complaints.isEmpty, "\(complaints.joined(separator: "\n"))")
        // `security` looks at one instance of the template.
        try service.write(toFile: units + "fairway-metrics@0.service", atomically: true, encoding: .utf8)
        let security = try runCommand(SystemdUnitTests.analyze, ["security", "--offline=true", "--no-pager", units + "fairway-metrics@0.service"])
        let marker = "Overall exposure level for fairway-metrics@0.service: "
        let score = security.stdout.split(separator: "\n").first { $0.contains(marker) }
            .flatMap { $0.split(separator: marker).last?.split(separator: " ").first }.flatMap { Double($0) }
        #expect(score != nil && score! <= 2.0, "\(security.stdout)\(security.stderr)")
        try FileManager.default.removeItem(atPath: units + "fairway-metrics@0.service")
        #expect(try SystemdUnitTests.make("uninstall", vars).status == 0)
        #expect(!FileManager.default.fileExists(atPath: units + "fairway-metrics.socket"))
        #expect(!FileManager.default.fileExists(atPath: units + "fairway-metrics@.service"))
    }
}

/// A TCP port on 127.0.0.1 that nothing listens on now (bound, read, released).
func freeLoopbackPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw FixtureError("socket: \(errno)") }
    defer { close(fd) }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    addr.sin_port = 0
    var len = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &addr) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) == 0 && getsockname(fd, $0, &len) == 0 }
    }
    guard bound else { throw FixtureError("bind: \(errno)") }
    return Int(UInt16(bigEndian: addr.sin_port))
}

/// The body of an HTTP/1.0 GET of `path` on 127.0.0.1:`port`, or nil.
func httpGet(port: Int, path: String) -> String? {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var timeout = timeval(tv_sec: 5, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    addr.sin_port = UInt16(port).bigEndian
    let connected = withUnsafePointer(to: &addr) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
    }
    guard connected else { return nil }
    let request = Array("GET \(path) HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".utf8)
    guard send(fd, request, request.count, Int32(MSG_NOSIGNAL)) == request.count else { return nil }
    var response: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = recv(fd, &buffer, buffer.count, 0)
        if n <= 0 { break }
        response.append(contentsOf: buffer[0..<n])
    }
    let text = String(decoding: response, as: UTF8.self)
    guard text.hasPrefix("HTTP/1.1 200") || text.hasPrefix("HTTP/1.0 200"), let split = text.range(of: "\r\n\r\n") else { return nil }
    return String(text[split.upperBound...])
}
