import FairwayCore
import FairwaySystemd
import Synchronization

/// Where the daemon tells its story: journald (one entry per state change,
/// with the contract's fields) or one readable line per event on stderr.
final class EventLog: Sendable {
    enum Sink: Sendable, Equatable { case journal, stderr }

    private let sink: Mutex<Sink>

    init(mode: FairwayConfig.LogMode) {
        sink = Mutex(Self.resolve(mode))
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
        var all: [(name: String, value: String)] = [("SYSLOG_IDENTIFIER", "fairwayd")]
        if let event { all.append(("FAIRWAY_EVENT", event)) }
        all += fields
        if current == .journal {
            if Journal.send(message: message, priority: priority, fields: all, file: file, line: line, function: function) == 0 {
                return
            }
        }
        let level = priority.rawValue <= 3 ? "error" : priority.rawValue == 4 ? "warning" : "info"
        let extra = fields.map { "\($0.name.lowercased())=\($0.value)" }.joined(separator: " ")
        writeStderr("fairwayd[\(level)]\(event.map { " \($0)" } ?? "")\(extra.isEmpty ? "" : " " + extra): \(message)\n")
    }

    /// Logs one state change with ORDER_ID, CUSTOMER_ID, DEPOT and SLOT_START.
    func record(_ e: Event, file: String = #fileID, line: Int = #line, function: String = #function) {
        var fields: [(name: String, value: String)] = []
        if let v = e.orderID { fields.append(("ORDER_ID", v)) }
        if let v = e.customerID { fields.append(("CUSTOMER_ID", v)) }
        if let v = e.depot { fields.append(("DEPOT", v)) }
        if let v = e.slotStart { fields.append(("SLOT_START", Timestamp(seconds: v).rfc3339)) }
        fields.append(("FAIRWAY_ACTOR", e.actor))
        log(e.message, priority: .info, event: e.kind.rawValue, fields: fields, file: file, line: line, function: function)
    }
}
