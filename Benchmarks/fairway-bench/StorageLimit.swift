// The storage limit: the rows fairwayd writes, written straight into SQLite.

import FairwayCore
import FairwayPOSIX
import FairwayProtocol
import FairwayStore
import FairwayTestSupport

/// How fast the daemon's own store (its schema, pragmas, statements and
/// durability full) takes the rows of the same requests, with nothing else
/// in the way: no socket, no decoding, no answers. The rows come from the
/// scheduler, as in the daemon; only `Store.write` is timed, once per
/// request (the daemon commits at least that often).
struct StorageLimit {
    let options: BenchOptions

    /// The rate (orders/s) of each step of requests.
    func measure(_ steps: [[WireRequest]]) throws(BenchError) -> [Double] {
        progress("  storage limit: the same \(grouped(steps.joined().count)) requests' rows into a fresh store")
        let directory = try BenchError.wrapping { try TemporaryDirectory(prefix: "fairway-bench-storage", base: options.tmpBase) }
        directory.keep = options.keep
        let config: FairwayConfig
        do {
            config = try ConfigParser.parse("[daemon]\nstate-directory = \(directory.path)\n" + DaemonProcess.config, file: "fairway-bench")
        } catch {
            throw BenchError("the bench's config does not parse: \(error)")
        }
        let store: Store
        do {
            store = try Store(directory: directory.path, durability: .full)
        } catch {
            throw BenchError("cannot open a store in \(directory.path): \(error)")
        }
        defer { store.close() }
        var scheduler = Scheduler(config: config, now: Timestamp(seconds: WallClock.seconds()))
        var rates: [Double] = []
        for requests in steps {
            var seconds = 0.0
            var orders = 0
            for request in requests {
                guard case .success(.submit(let submissions, _, _, _)) = RequestDecoder.decode(request.bytes).operation else {
                    throw BenchError("a bench request is not a submit")
                }
                do {
                    _ = try scheduler.submit(submissions, now: Timestamp(seconds: WallClock.seconds()), actor: "bench")
                } catch {
                    throw BenchError("the scheduler refused a bench batch: \(error)")
                }
                let changes = scheduler.drainChanges()
                let t0 = MonotonicClock.seconds()
                do {
                    try store.write(changes, from: scheduler)
                } catch {
                    throw BenchError("the store refused a bench batch: \(error)")
                }
                seconds += MonotonicClock.seconds() - t0
                orders += submissions.count
            }
            rates.append(Double(orders) / seconds)
        }
        progress("  storage limit: first step \(grouped(Int(rates.first ?? 0))) orders/s, last \(grouped(Int(rates.last ?? 0))) orders/s")
        return rates
    }
}
