import FairwayProtocol
import Foundation
import Glibc

/// Errors of the end-to-end fixture.
struct FixtureError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

/// Where the built executables are: `FAIRWAY_BIN_DIR`, else next to the test bundle.
func binaryDirectory() -> String {
    if let dir = ProcessInfo.processInfo.environment["FAIRWAY_BIN_DIR"], !dir.isEmpty { return dir }
    var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    // .build/<triple>/debug/fairwayPackageTests.xctest
    while url.path != "/" {
        if FileManager.default.isExecutableFile(atPath: url.appendingPathComponent("fairwayd").path) { return url.path }
        url.deleteLastPathComponent()
    }
    return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent(".build/debug").path
}

/// A temporary directory removed at the end.
final class TempDir: @unchecked Sendable {
    let path: String
    init() {
        path = "/tmp/fw-e2e-" + String(UUID().uuidString.prefix(8))
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// The real `fairwayd` on a temporary config and socket.
final class DaemonFixture: @unchecked Sendable {
    let dir: TempDir
    var process: ChildProcess?
    let configPath: String
    let socketPath: String
    let stderrPath: String

    static let defaultConfig = """
        [scheduling]
        default-depot = main
        default-tier = standard
        commit-horizon = 2
        lead-slots = 1
        [tier.platinum]
        weight = 8
        [tier.gold]
        weight = 4
        [tier.standard]
        weight = 2
        [depot.main]
        slot-length = 1h
        capacity = 10
        [depot.south]
        slot-length = 1d
        capacity = 100
        """

    /// Writes the config (a `[daemon]` section is prepended) and starts the daemon.
    init(config: String = DaemonFixture.defaultConfig, extraDaemon: String = "", start: Bool = true, environment: [String: String] = [:]) throws {
        dir = TempDir()
        configPath = dir.path + "/fairway.conf"
        socketPath = dir.path + "/fairway.sock"
        stderrPath = dir.path + "/stderr.log"
        try writeConfig(config, extraDaemon: extraDaemon)
        if start { try self.start(environment: environment) }
    }

    func writeConfig(_ config: String, extraDaemon: String = "") throws {
        let text = """
            [daemon]
            socket = \(socketPath)
            state-directory = \(dir.path)/state
            log = stderr
            \(extraDaemon)
            \(config)
            """
        try text.write(toFile: configPath, atomically: true, encoding: .utf8)
    }

    /// Starts `fairwayd` and waits until it answers `status`.
    func start(environment: [String: String] = [:], arguments: [String]? = nil) throws {
        var env = ProcessInfo.processInfo.environment
        env["NOTIFY_SOCKET"] = nil
        env["WATCHDOG_USEC"] = nil
        env["WATCHDOG_PID"] = nil
        env["JOURNAL_STREAM"] = nil
        env["LISTEN_FDS"] = nil
        for (k, v) in environment { env[k] = v }
        let p = try ChildProcess.spawn(
            binaryDirectory() + "/fairwayd", arguments: arguments ?? ["--config", configPath], environment: env,
            stderrPath: stderrPath)
        process = p
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            if let status = p.exitStatus() { throw FixtureError("fairwayd exited with \(status): \(stderr())") }
            if let c = try? Client(path: socketPath), let r = try? c.call(["op": "status"], timeout: 5), r["ok"] == .bool(true) { return }
            usleep(20_000)
        }
        throw FixtureError("fairwayd did not answer within 20 s: \(stderr())")
    }

    /// What the daemon wrote to stderr so far.
    func stderr() -> String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

    /// Sends SIGTERM and waits; returns the exit status.
    @discardableResult
    func stop() -> Int32 {
        guard let p = process else { return 0 }
        if let s = p.exitStatus() { return s }
        kill(p.pid, SIGTERM)
        return p.wait()
    }

    /// SIGKILL, no warning.
    func kill9() {
        guard let p = process, p.exitStatus() == nil else { return }
        kill(p.pid, SIGKILL)
        _ = p.wait()
    }

    func restart() throws {
        stop()
        try start()
    }

    func client() throws -> Client { try Client(path: socketPath) }

    deinit { kill9() }
}

/// A blocking test client for the daemon's socket.
final class Client {
    let fd: Int32
    private var framer = LineFramer(maxLineLength: 64 << 20)

    init(path: String) throws {
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            for (i, b) in path.utf8.enumerated() where i < raw.count - 1 { raw[i] = b }
        }
        let r = withUnsafePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        if r != 0 {
            let e = errno
            close(fd)
            throw FixtureError("connect \(path): \(String(cString: strerror(e)))")
        }
    }

    deinit { close(fd) }

    func sendRaw(_ bytes: [UInt8]) throws {
        var off = 0
        while off < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + off, bytes.count - off, Int32(MSG_NOSIGNAL)) }
            if n < 0 {
                if errno == EINTR { continue }
                throw FixtureError("send: \(String(cString: strerror(errno)))")
            }
            off += n
        }
    }

    func send(_ request: JSON) throws { try sendRaw(request.serialized() + [10]) }

    /// Reads one line within `timeout` seconds; nil at EOF.
    func readLine(timeout: Double = 30) throws -> [UInt8]? {
        let deadline = Date().addingTimeInterval(timeout)
        var buf = [UInt8](repeating: 0, count: 65536)
        while true {
            if let frame = framer.next(), case .line(let bytes) = frame { return bytes }
            let left = deadline.timeIntervalSinceNow
            if left <= 0 { throw FixtureError("no answer within \(timeout) s") }
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let r = poll(&pfd, 1, Int32(left * 1000))
            if r == 0 { continue }
            let n = buf.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n == 0 { return nil }
            if n < 0 {
                if errno == EINTR { continue }
                if errno == ECONNRESET { return nil }
                throw FixtureError("read: \(String(cString: strerror(errno)))")
            }
            buf.withUnsafeBytes { framer.append(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
        }
    }

    func receive(timeout: Double = 30) throws -> JSONObject {
        guard let line = try readLine(timeout: timeout) else { throw FixtureError("connection closed") }
        guard case .object(let o) = try JSONParser.parse(line) else { throw FixtureError("answer is not an object") }
        return o
    }

    func call(_ request: JSON, timeout: Double = 30) throws -> JSONObject {
        try send(request)
        return try receive(timeout: timeout)
    }
}

extension JSONObject {
    /// The error code of a failure answer.
    var errorCode: String? { self["error"]?.objectValue?["code"]?.stringValue }
    var errorMessage: String { self["error"]?.objectValue?["message"]?.stringValue ?? "" }
    var isOK: Bool { self["ok"] == .bool(true) }
}

/// An order object for a submit.
func orderJSON(_ id: String, _ customer: String, units: Int? = nil, tier: String? = nil, depot: String? = nil,
               extra: [(String, JSON)] = []) -> JSON {
    var o = JSONObject()
    o.append("order_id", .string(id))
    o.append("customer_id", .string(customer))
    if let units { o.append("units", JSON(units)) }
    if let tier { o.append("tier", .string(tier)) }
    if let depot { o.append("depot", .string(depot)) }
    for (k, v) in extra { o.append(k, v) }
    return .object(o)
}

func submitJSON(_ orders: [JSON], id: Int = 1) -> JSON {
    ["id": JSON(id), "op": "submit", "orders": .array(orders)]
}
