import FairwayCore
import FairwayProtocol
import Glibc

extension StateOwner {
    /// The `metrics` text: counters the owner keeps (`counters`,
    /// `durations`), the depots' gauges, connections and the process.
    func metricsText() -> String {
        var p = PrometheusText()
        let named = counters.named(scheduler)
        func labels(_ k: OrderCounters.Key) -> [(key: String, value: String)] { [("depot", k.depot), ("tier", k.tier)] }

        p.family("fairway_orders_received_total", .counter, help: "Orders accepted, by depot and tier.")
        for (k, c) in named { p.sample("fairway_orders_received_total", labels(k), Double(c.received)) }
        p.family("fairway_orders_closed_total", .counter, help: "Orders closed, by depot, tier and outcome (on_time, late, failed, cancelled).")
        for (k, c) in named {
            for outcome in ["on_time", "late", "failed", "cancelled"] {
                p.sample("fairway_orders_closed_total", labels(k) + [("outcome", outcome)], Double(c.closed[outcome] ?? 0))
            }
        }
        p.family("fairway_orders_open", .gauge, help: "Orders now queued or committed, by depot, tier and state.")
        for (k, c) in named {
            p.sample("fairway_orders_open", labels(k) + [("state", "queued")], Double(c.queued))
            p.sample("fairway_orders_open", labels(k) + [("state", "committed")], Double(c.committed))
        }
        p.family("fairway_complaints_total", .counter, help: "Complaints recorded, by depot and tier.")
        for (k, c) in named { p.sample("fairway_complaints_total", labels(k), Double(c.complaints)) }

        let depots = scheduler.depotGauges()
        let gauges: [(String, String, (DepotGauges) -> Double)] = [
            ("fairway_queue_units", "Units of queued orders.", { Double($0.queueUnits) }),
            ("fairway_horizon_used_units", "Committed units in the commit horizon's slots.", { Double($0.horizonUsedUnits) }),
            ("fairway_horizon_capacity_units", "Capacity of the commit horizon's slots.", { Double($0.horizonCapacityUnits) }),
            ("fairway_virtual_time", "The depot's virtual time (finish tag of the last order served).", { $0.virtualTime }),
        ]
        for (name, help, value) in gauges {
            p.family(name, .gauge, help: help)
            for d in depots { p.sample(name, ["depot": d.depot], value(d)) }
        }
        p.family("fairway_promises_moved_total", .counter, help: "Promises a capacity change moved, by depot, since the daemon started.")
        for d in depots { p.sample("fairway_promises_moved_total", ["depot": d.depot], Double(counters.promisesMoved[d.depot] ?? 0)) }
        p.family("fairway_expedites_total", .counter, help: "Orders expedited, by depot, since the daemon started.")
        for d in depots { p.sample("fairway_expedites_total", ["depot": d.depot], Double(counters.expedites[d.depot] ?? 0)) }

        p.family("fairway_request_duration_seconds", .histogram, help: "Time the state owner spent on a request, by op.")
        for (op, h) in durations.byOp.sorted(by: { $0.key < $1.key }) {
            var cumulative = 0
            for (i, bound) in RequestDurations.bounds.enumerated() {
                cumulative += h.buckets[i]
                p.sample("fairway_request_duration_seconds_bucket", ["op": op, "le": PrometheusText.number(bound)], Double(cumulative))
            }
            p.sample("fairway_request_duration_seconds_bucket", ["op": op, "le": "+Inf"], Double(h.count))
            p.sample("fairway_request_duration_seconds_sum", ["op": op], h.sum)
            p.sample("fairway_request_duration_seconds_count", ["op": op], Double(h.count))
        }
        p.family("fairway_connections", .gauge, help: "Client connections open now.")
        p.sample("fairway_connections", [:], Double(mailbox.connections.total))
        p.family("fairway_answer_bytes_held", .gauge, help: "Bytes of answers made and not yet written to their clients.")
        p.sample("fairway_answer_bytes_held", [:], Double(outbox.ledger.total))
        p.family("process_start_time_seconds", .gauge, help: "Start time of the process since the Unix epoch, in seconds.")
        p.sample("process_start_time_seconds", [:], Double(startedAt.milliseconds) / 1000)
        p.family("process_resident_memory_bytes", .gauge, help: "Resident memory size in bytes.")
        p.sample("process_resident_memory_bytes", [:], Double(Self.residentMemoryBytes()))
        return p.text
    }

    /// The resident set size, from /proc/self/statm (0 when it cannot be read).
    static func residentMemoryBytes() -> Int {
        let fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return 0 }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 256)
        let n = read(fd, &buffer, buffer.count)
        guard n > 0 else { return 0 }
        let fields = String(decoding: buffer[0..<n], as: UTF8.self).split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}
