import FairwayPOSIX
import FairwayCore
import FairwaySystemd
import Foundation
import Synchronization

/// Where the daemon tells its story: journald (one entry per state change,
/// with the contract's fields) or one readable line per event on stderr.
///
/// Entries are written by a logging thread of their own, in the order they
/// were handed in, so that a clump of ten thousand orders does not hold up
/// the state owner. Acceptances of one submit go to journald as entries of up
/// to `ordersPerEntry` orders each, every one carrying an `ORDER_ID=` field
/// per order (journald keeps repeated fields), so `journalctl ORDER_ID=X`
/// still finds the order's acceptance. The queue is bounded: when journald
/// falls that far behind, the state owner waits for it.
///
/// A service: `start` starts the writer, `stop` writes what is queued and
/// ends it. Before the start and after the stop, entries are written on the
/// caller's thread.
final class EventLog: Service {
    enum Sink: Sendable, Equatable { case journal, stderr }

    /// Source location of whoever handed an item in.
    struct Origin: Sendable {
        var file: String
        var line: Int
        var function: String
    }

    private enum Item: Sendable {
        case message(String, JournalPriority, String?, [(name: String, value: String)], Origin)
        case events([Event], Origin)

        var weight: Int {
            if case .events(let e, _) = self { return e.count }
            return 1
        }
    }

    /// Acceptances per journal entry.
    static let ordersPerEntry = 250
    /// Events waiting to be written beyond which producers wait.
    static let maxQueued = 200_000

    /// What the writer has to do, guarded, with a condition to wait on.
    private struct Queue: Sendable {
        var list: [Item] = []
        /// Events in `list`.
        var weight = 0
        /// The writer is writing a batch it took.
        var busy = false
        /// The writer runs (started, not stopped).
        var running = false
        /// The writer is asked to write what is left and end.
        var stopping = false
    }

    let name = "fairway-log"
    private let sink: Mutex<Sink>
    private let queue = Monitor(Queue())
    private let thread = ServiceThread()

    init(mode: FairwayConfig.LogMode) {
        sink = Mutex(Self.resolve(mode))
    }

    func start() throws(SystemCallError) {
        queue.withLock { $0.running = true }
        do {
            try thread.start(name) { [self] in writerLoop() }
        } catch {
            queue.withLock { $0.running = false }
            throw error
        }
    }

    /// Writes everything queued, then ends the writer.
    func stop() {
        queue.withLock { $0.stopping = true }
        queue.broadcast()
        thread.join()
        queue.withLock { $0.running = false }
        flush()  // anything queued while it was ending
    }

    static func resolve(_ mode: FairwayConfig.LogMode) -> Sink {
        switch mode {
        case .stderr: return .stderr
        case .journal, .auto: return Journal.isAvailable ? .journal : .stderr
        }
    }

    /// Switches the sink (on reload).
    func setMode(_ mode: FairwayConfig.LogMode) { sink.withLock { $0 = Self.resolve(mode) } }

    var current: Sink { sink.withLock { $0 } }

    /// Logs a message that is not a state change.
    func log(
        _ message: String, priority: JournalPriority = .info, event: String? = nil,
        fields: [(name: String, value: String)] = [], file: String = #fileID, line: Int = #line, function: String = #function
    ) {
        enqueue(.message(message, priority, event, fields, Origin(file: file, line: line, function: function)))
    }

    /// Logs state changes, in order.
    func record(_ events: [Event], file: String = #fileID, line: Int = #line, function: String = #function) {
        guard !events.isEmpty else { return }
        enqueue(.events(events, Origin(file: file, line: line, function: function)))
    }

    /// Waits until everything handed in so far is written (writes it on
    /// the caller's thread when the writer does not run).
    func flush() {
        let left: [Item] = queue.wait(until: { !$0.running || ($0.list.isEmpty && !$0.busy) }) { q in
            guard !q.running else { return [] }
            return Self.takeAll(&q)
        }
        if !left.isEmpty { write(left) }
    }

    private func enqueue(_ item: Item) {
        // Backpressure: wait while the writer is far behind.
        let inline = queue.wait(until: { !$0.running || $0.weight <= Self.maxQueued }) { q in
            guard q.running else { return true }
            q.list.append(item)
            q.weight += item.weight
            return false
        }
        if inline { write([item]) } else { queue.broadcast() }
    }

    private static func takeAll(_ q: inout Queue) -> [Item] {
        let all = q.list
        q.list.removeAll(keepingCapacity: true)
        q.weight = 0
        return all
    }

    private func writerLoop() {
        while true {
            let batch: [Item] = queue.wait(until: { !$0.list.isEmpty || $0.stopping }) { q in
                let all = q.list
                q.list.removeAll(keepingCapacity: true)
                q.busy = !all.isEmpty
                return all
            }
            if batch.isEmpty { return }  // stopping, and all is written
            write(batch)
            queue.withLock { q in
                q.weight -= batch.reduce(0) { $0 + $1.weight }
                q.busy = false
            }
            queue.broadcast()
        }
    }

    private func write(_ batch: [Item]) {
        let sink = current
        var text = ""
        for item in batch {
            switch item {
            case .message(let message, let priority, let event, let fields, let origin):
                if sink == .journal, sendMessage(message, priority, event, fields, origin) { continue }
                text += Self.line(message, priority, event, fields)
            case .events(let events, let origin):
                if sink == .journal, sendEvents(events, origin) { continue }
                for e in events { text += Self.line(e.message, .info, e.kind.rawValue, Self.fields(of: e)) }
            }
        }
        if !text.isEmpty { StandardError.write(text) }
    }

    private static func line(_ message: String, _ priority: JournalPriority, _ event: String?, _ fields: [(name: String, value: String)]) -> String {
        let level = priority.rawValue <= 3 ? "error" : priority.rawValue == 4 ? "warning" : "info"
        let extra = fields.map { "\($0.name.lowercased())=\($0.value)" }.joined(separator: " ")
        return "fairwayd[\(level)]\(event.map { " \($0)" } ?? "")\(extra.isEmpty ? "" : " " + extra): \(message)\n"
    }

    private static func fields(of e: Event) -> [(name: String, value: String)] {
        var fields: [(name: String, value: String)] = []
        if let v = e.orderID { fields.append(("ORDER_ID", v)) }
        if let v = e.customerID { fields.append(("CUSTOMER_ID", v)) }
        if let v = e.depot { fields.append(("DEPOT", v)) }
        if let v = e.slotStart { fields.append(("SLOT_START", Timestamp(seconds: v).rfc3339)) }
        if let v = e.fromSlot { fields.append(("FAIRWAY_FROM_SLOT", Timestamp(seconds: v).rfc3339)) }
        fields.append(("FAIRWAY_ACTOR", e.actor))
        return fields
    }

    private func sendMessage(
        _ message: String, _ priority: JournalPriority, _ event: String?, _ fields: [(name: String, value: String)], _ origin: Origin
    ) -> Bool {
        var all: [(name: String, value: String)] = [("SYSLOG_IDENTIFIER", "fairwayd")]
        if let event { all.append(("FAIRWAY_EVENT", event)) }
        all += fields
        return Journal.send(message: message, priority: priority, fields: all, file: origin.file, line: origin.line, function: origin.function) == 0
    }

    /// One entry per event, except runs of acceptances, which share entries.
    private func sendEvents(_ events: [Event], _ origin: Origin) -> Bool {
        var i = 0
        while i < events.count {
            let e = events[i]
            guard e.kind == .ingested else {
                guard sendMessage(e.message, .info, e.kind.rawValue, Self.fields(of: e), origin) else { return false }
                i += 1
                continue
            }
            var j = i
            while j < events.count, j - i < Self.ordersPerEntry, events[j].kind == .ingested, events[j].actor == e.actor { j += 1 }
            let run = events[i..<j]
            if run.count == 1 {
                guard sendMessage(e.message, .info, e.kind.rawValue, Self.fields(of: e), origin) else { return false }
            } else {
                var fields: [(name: String, value: String)] = []
                fields.reserveCapacity(run.count * 2 + 2)
                var customers = Set<String>()
                var depots = Set<String>()
                for r in run {
                    if let id = r.orderID { fields.append(("ORDER_ID", id)) }
                    if let c = r.customerID, customers.insert(c).inserted { fields.append(("CUSTOMER_ID", c)) }
                    if let d = r.depot, depots.insert(d).inserted { fields.append(("DEPOT", d)) }
                }
                fields.append(("FAIRWAY_ACTOR", e.actor))
                let first = run.first!.orderID ?? "?"
                let last = run.last!.orderID ?? "?"
                let message = "\(run.count) orders accepted (\(first) … \(last)) for depot \(depots.sorted().joined(separator: ", "))"
                guard sendMessage(message, .info, "ingested", fields, origin) else { return false }
            }
            i = j
        }
        return true
    }
}
