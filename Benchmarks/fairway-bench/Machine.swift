// What the benchmark runs on: CPUs, kernel, file system, and the cost of an fdatasync.

import FairwayPOSIX
import Foundation
import Glibc

/// A description of the machine, printed above the figures.
enum Machine {
    /// Lines describing the machine and the temporary directory's disk.
    static func describe(tmpBase: String) -> [String] {
        var lines: [String] = []
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model = cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }
            .map { String($0.split(separator: ":", maxSplits: 1).last ?? "").trimmingCharacters(in: .whitespaces) } ?? "?"
        lines.append("cpus: \(sysconf(Int32(_SC_NPROCESSORS_ONLN))) online (\(model))")
        var names = utsname()
        uname(&names)
        let release = withUnsafeBytes(of: &names.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        lines.append("kernel: Linux \(release)")
        lines.append("memory: \(fixed(Double(sysconf(Int32(_SC_PHYS_PAGES)) * sysconf(Int32(_SC_PAGESIZE))) / 1_073_741_824, 1)) GiB")
        lines.append("temporary directories in \(tmpBase): \(fileSystem(of: tmpBase))")
        if let sync = fdatasyncCost(in: tmpBase) {
            lines.append("fdatasync after a 4 KiB append there: median \(fixed(sync.median * 1000, 3)) ms, p99 \(fixed(sync.p99 * 1000, 3)) ms (200 tries)")
        }
        return lines
    }

    /// The device and type of the mount holding `path` (longest matching mount point).
    static func fileSystem(of path: String) -> String {
        let resolved = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        let mounts = (try? String(contentsOfFile: "/proc/self/mounts", encoding: .utf8)) ?? ""
        var best = (point: "", text: "?")
        for line in mounts.split(separator: "\n") {
            let f = line.split(separator: " ")
            guard f.count >= 3 else { continue }
            let point = String(f[1])
            let inside = resolved == point || resolved.hasPrefix(point == "/" ? "/" : point + "/")
            if inside && point.count >= best.point.count { best = (point, "\(f[0]) (\(f[2])) mounted on \(point)") }
        }
        return best.text
    }

    /// Appends 4 KiB and calls fdatasync, 200 times; the median and p99 in seconds.
    static func fdatasyncCost(in directory: String) -> (median: Double, p99: Double)? {
        let path = "\(directory)/fairway-bench-fdatasync-\(getpid())"
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return nil }
        defer {
            close(fd)
            unlink(path)
        }
        let block = [UInt8](repeating: 0x2A, count: 4096)
        var samples: [Double] = []
        for _ in 0..<200 {
            let t0 = MonotonicClock.seconds()
            guard block.withUnsafeBytes({ write(fd, $0.baseAddress, $0.count) }) == block.count, fdatasync(fd) == 0 else { return nil }
            samples.append(MonotonicClock.seconds() - t0)
        }
        return (Stats.median(samples), Stats.percentile(samples, 99))
    }
}

/// CPU time used by everything on the machine versus by the benchmark and
/// its daemons, so a report can say how much other load there was.
struct CPUAccount {
    private let systemBusy0: Double
    private let ours0: Double
    private let load0: String

    init() {
        systemBusy0 = Self.systemBusySeconds()
        ours0 = Self.oursSeconds()
        load0 = Self.loadAverage()
    }

    /// `other processes: N core-seconds (M cores on average) over T s; load average A → B`.
    func summary(wallSeconds: Double) -> String {
        let others = max(0, (Self.systemBusySeconds() - systemBusy0) - (Self.oursSeconds() - ours0))
        return "CPU used by other processes during the bench: \(fixed(others, 1)) core-seconds "
            + "(\(fixed(others / max(wallSeconds, 0.001), 2)) cores on average over \(fixed(wallSeconds, 0)) s); "
            + "1-minute load average \(load0) at start, \(Self.loadAverage()) at end"
    }

    /// Busy jiffies of all CPUs (/proc/stat: user, nice, system, irq, softirq, steal), in seconds.
    static func systemBusySeconds() -> Double {
        guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
            let cpu = text.split(separator: "\n").first
        else { return 0 }
        let f = cpu.split(separator: " ").dropFirst().compactMap { Double($0) }
        guard f.count >= 8 else { return 0 }
        return (f[0] + f[1] + f[2] + f[5] + f[6] + f[7]) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// CPU seconds of this process plus its waited-for children (the daemons).
    static func oursSeconds() -> Double {
        var children = rusage()
        getrusage(__rusage_who_t(RUSAGE_CHILDREN.rawValue), &children)
        return processCPUSeconds() + Double(children.ru_utime.tv_sec) + Double(children.ru_utime.tv_usec) / 1e6
            + Double(children.ru_stime.tv_sec) + Double(children.ru_stime.tv_usec) / 1e6
    }

    static func loadAverage() -> String {
        let text = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "?"
        return String(text.split(separator: " ").first ?? "?")
    }
}

/// Waiting for other processes to leave the CPUs alone before a timed run
/// (the machine may be shared: builds and tests of others skew figures).
enum Quiet {
    /// Waits until less than 0.3 cores were busy over half a second, or at
    /// most `patience` seconds (0: never waits); says so when it had to wait.
    static func wait(patience: Double) {
        guard patience > 0 else { return }
        let start = MonotonicClock.seconds()
        var busy = 0.0
        repeat {
            let b0 = CPUAccount.systemBusySeconds()
            usleep(500_000)
            busy = (CPUAccount.systemBusySeconds() - b0) / 0.5
            if busy < 0.3 { break }
        } while MonotonicClock.seconds() - start < patience
        let waited = MonotonicClock.seconds() - start
        if waited > 1 {
            progress("  (waited \(fixed(waited, 0)) s for other load to pass; \(fixed(busy, 2)) cores busy when starting)")
        }
    }
}
