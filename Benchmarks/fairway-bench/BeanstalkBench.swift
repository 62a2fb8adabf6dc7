// The same batched ingest against beanstalkd, for comparison.

import FairwayPOSIX
import FairwayTestSupport
import Foundation
import Glibc

/// beanstalkd on 127.0.0.1 with a binlog in a fresh directory.
final class BeanstalkProcess {
    let directory: TemporaryDirectory
    let port: UInt16
    private(set) var process: ChildProcess?

    /// Starts `beanstalkd -l 127.0.0.1 -p PORT -b DIR` plus `extra` arguments
    /// and waits until it accepts connections.
    init(options: BenchOptions, extra: [String]) throws(BenchError) {
        let directory = try BenchError.wrapping { try TemporaryDirectory(prefix: "fairway-bench-beanstalkd", base: options.tmpBase) }
        directory.keep = options.keep
        self.directory = directory
        port = try Self.freePort()
        let arguments = ["-l", "127.0.0.1", "-p", String(port), "-b", directory.path] + extra
        let p = try BenchError.wrapping {
            try ChildProcess.spawn(options.beanstalkd, arguments: arguments, stderrPath: directory.appending("beanstalkd.log"))
        }
        process = p
        let deadline = MonotonicClock.seconds() + 10
        while MonotonicClock.seconds() < deadline {
            if let status = p.exitStatus() { throw BenchError("beanstalkd exited with \(status); see \(directory.path)/beanstalkd.log") }
            if (try? PipelinedConnection.tcp(port: port)) != nil { return }
            usleep(2_000)
        }
        throw BenchError("beanstalkd did not accept connections on port \(port) within 10 s")
    }

    /// A port nobody listens on now (bound to port 0, then released).
    private static func freePort() throws(BenchError) -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard ok else { throw BenchError("cannot find a free TCP port: \(String(cString: strerror(errno)))") }
        return UInt16(bigEndian: address.sin_port)
    }

    /// Kills beanstalkd if it still runs; its directory goes with this object (unless `--keep`).
    func remove() {
        process?.killNow()
        process = nil
    }
}

/// Each order's JSON `put` as a job (`put 1024 0 60 <bytes>\r\n<json>\r\n`,
/// answered `INSERTED <id>\r\n`), grouped in batches of `batchSize` puts
/// written together, `depth` batches in flight, over one TCP connection on
/// loopback. A batch is acknowledged when its last `INSERTED` arrives.
struct BeanstalkBench {
    let options: BenchOptions
    let report: Report
    /// Whether another process keeps one core busy during each timed run.
    var busyCore = false

    /// Runs with beanstalkd's default binlog fsync (`-f 50`: at most every
    /// 50 ms, not before the answer), then with `-f 0` (fsync every write) on
    /// a tenth of the orders; returns the default's orders/s of each run.
    func run() throws(BenchError) -> [Double] {
        let defaults = try measure(extra: [], orders: options.orders, what: "default binlog fsync (-f 50)")
        report.add(section, "default binlog fsync (at most every 50 ms, after the answer)", .ordersPerSecond, defaults)
        let synced = try measure(extra: ["-f", "0"], orders: max(options.orders / 10, options.batchSize), what: "fsync every put (-f 0)")
        report.add(section, "-f 0: fsync before every answer (\(grouped(max(options.orders / 10, options.batchSize))) orders/run)",
                   .ordersPerSecond, synced)
        return defaults
    }

    /// The version `beanstalkd -v` prints.
    var section: String {
        "beanstalkd \(beanstalkVersion()) (same orders as jobs, 1 TCP connection, batches of \(options.batchSize) puts, \(options.depth) in flight)"
    }

    /// Puts/s of each run of `orders` puts with `extra` arguments to beanstalkd.
    func measure(extra: [String], orders count: Int, what: String) throws(BenchError) -> [Double] {
        progress("beanstalkd, \(what): \(options.runs) runs of \(grouped(count)) puts")
        var rates: [Double] = []
        for run in 0..<options.runs {
            var generator = OrderGenerator(style: .sequential, depots: DaemonProcess.depots, seed: options.seed &+ UInt64(run))
            let requests = Self.putBatches(generator.make(count), batchSize: options.batchSize)
            let server = try BeanstalkProcess(options: options, extra: extra)
            defer { server.remove() }
            Quiet.wait(patience: options.quietPatience)
            let busy = busyCore ? try BusyCore() : nil
            defer { busy?.stop() }
            let connection = try PipelinedConnection.tcp(port: server.port)
            let timing = try connection.pipeline(requests, depth: options.depth) { _, line throws(BenchError) in
                guard line.starts(with: Array("INSERTED ".utf8)) else {
                    throw BenchError("beanstalkd: \(String(decoding: line.prefix(200), as: UTF8.self))")
                }
            }
            rates.append(Double(count) / timing.seconds)
            progress("  run \(run + 1): \(grouped(Int(rates.last!))) puts/s in \(fixed(timing.seconds, 2)) s")
        }
        return rates
    }

    static func putBatches(_ orders: [GeneratedOrder], batchSize: Int) -> [WireRequest] {
        var requests: [WireRequest] = []
        var start = 0
        while start < orders.count {
            let end = min(start + batchSize, orders.count)
            var bytes: [UInt8] = []
            for o in orders[start..<end] {
                bytes.append(contentsOf: "put 1024 0 60 \(o.json.count)\r\n".utf8)
                bytes.append(contentsOf: o.json)
                bytes.append(contentsOf: "\r\n".utf8)
            }
            requests.append(WireRequest(bytes: bytes, answerLines: end - start))
            start = end
        }
        return requests
    }

    private func beanstalkVersion() -> String {
        let probe = "/tmp/fairway-bench-beanstalkd-version-\(getpid())"
        defer { unlink(probe) }
        guard let p = try? ChildProcess.spawn(options.beanstalkd, arguments: ["-v"], stderrPath: "/dev/null", stdoutPath: probe)
        else { return "" }
        p.wait()
        let text = (try? String(contentsOfFile: probe, encoding: .utf8)) ?? ""
        return text.split(separator: " ").last.map { String($0.filter { !$0.isWhitespace }) } ?? ""
    }
}
