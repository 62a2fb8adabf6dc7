import FairwayPOSIX
import CFairwayShim
import Dispatch
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
final class EventLog: Sendable {
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

    private let sink: Mutex<Sink>
    private let items = Mutex<(list: [Item], weight: Int, busy: Bool)>(([], 0, false))
    private let wake = DispatchSemaphore(value: 0)

    init(mode: FairwayConfig.LogMode) {
        sink = Mutex(Self.resolve(mode))
        Thread { [self] in writerLoop() }.start()
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

    /// Waits until everything handed in so far is written.
    func flush() {
        while items.withLock({ !$0.list.isEmpty || $0.busy }) { usleep(1000) }
    }

    private func enqueue(_ item: Item) {
        // Backpressure: wait while the writer is far behind.
        while items.withLock({ $0.weight > Self.maxQueued }) { usleep(500) }
        let wasEmpty = items.withLock { q in
            q.list.append(item)
            q.weight += item.weight
            return q.list.count == 1
        }
        if wasEmpty { wake.signal() }
    }

    private func writerLoop() {
        fairway_name_thread("fairway-log")
        while true {
            let batch: [Item] = items.withLock { q in
                let all = q.list
                q.list.removeAll(keepingCapacity: true)
                q.busy = !all.isEmpty
                return all
            }
            if batch.isEmpty {
                _ = wake.wait(timeout: .now() + 1)
                continue
            }
            write(batch)
            items.withLock { q in
                q.weight -= batch.reduce(0) { $0 + $1.weight }
                q.busy = false
            }
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
