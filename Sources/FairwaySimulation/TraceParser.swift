import FairwayCore

extension Trace {
    /// Reads a trace from CSV text: a header row naming the columns (any of
    /// `Trace.columns` and `cleared_at`, in any order; `at` and `event` are
    /// required), then one event a line, in time order. Empty cells are
    /// omitted fields. Errors name the line and the column.
    public init(csv bytes: [UInt8]) throws(TraceError) {
        let records: [CSVRecord]
        switch CSVReader.records(bytes) {
        case .success(let r): records = r
        case .failure(let e): throw TraceError(line: e.line, message: e.message)
        }
        guard let header = records.first else { throw TraceError(line: 1, message: "the trace is empty: a header row is needed (\(Self.columns.joined(separator: ",")))") }
        let known = Self.columns + [Self.clearedAtColumn]
        var seen: Set<String> = []
        for (i, name) in header.cells.enumerated() {
            guard known.contains(name) else {
                throw TraceError(line: header.line, column: "\(i + 1)", message: "unknown column '\(name)' (known: \(known.joined(separator: ", ")))")
            }
            guard seen.insert(name).inserted else { throw TraceError(line: header.line, column: name, message: "the column is named twice") }
        }
        for required in ["at", "event"] where !seen.contains(required) {
            throw TraceError(line: header.line, message: "the header has no '\(required)' column")
        }
        var events: [TraceEvent] = []
        events.reserveCapacity(records.count - 1)
        for record in records.dropFirst() {
            var row = try TraceRow(header: header.cells, record: record)
            let event = try row.event()
            if let last = events.last, event.at < last.at {
                throw TraceError(line: record.line, column: "at", message: "\(event.at) is earlier than the line before (\(last.at)): events must be in time order")
            }
            events.append(event)
        }
        self.init(events: events)
    }
}

/// One record of a trace, read cell by cell.
private struct TraceRow {
    var cells: [String: String] = [:]
    var line: Int
    /// Columns that hold something and that the event's kind has not read.
    var unread: Set<String> = []

    init(header: [String], record: CSVRecord) throws(TraceError) {
        line = record.line
        guard record.cells.count == header.count else {
            throw TraceError(line: line, message: "\(record.cells.count) cells where the header names \(header.count) columns")
        }
        for (name, cell) in zip(header, record.cells) where !cell.isEmpty {
            cells[name] = cell
            unread.insert(name)
        }
    }

    mutating func text(_ column: String) -> String? {
        unread.remove(column)
        return cells[column]
    }

    mutating func required(_ column: String, _ kind: String) throws(TraceError) -> String {
        guard let value = text(column) else { throw TraceError(line: line, column: column, message: "a \(kind) event needs it") }
        return value
    }

    mutating func time(_ column: String) throws(TraceError) -> Timestamp? {
        guard let value = text(column) else { return nil }
        guard let t = Timestamp(rfc3339: value) else {
            throw TraceError(line: line, column: column, message: "'\(value)' is not an RFC 3339 time such as 2026-11-23T06:00:00Z")
        }
        return t
    }

    mutating func integer(_ column: String, _ range: ClosedRange<Int>) throws(TraceError) -> Int? {
        guard let value = text(column) else { return nil }
        guard let n = Int(value), range.contains(n) else {
            throw TraceError(line: line, column: column, message: "'\(value)' is not a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return n
    }

    mutating func event() throws(TraceError) -> TraceEvent {
        guard let at = try time("at") else { throw TraceError(line: line, column: "at", message: "every event needs its time") }
        let kindText = try required("event", "")
        guard let kind = TraceEvent.Kind(rawValue: kindText) else {
            throw TraceError(line: line, column: "event", message: "'\(kindText)' is not an event (known: \(TraceEvent.Kind.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        var e = TraceEvent(at: at, kind: kind, line: line)
        let name = kind.rawValue
        switch kind {
        case .order:
            e.orderID = try required("order_id", name)
            e.customerID = try required("customer_id", name)
            e.units = try integer("units", 1...Scheduler.maxUnits)
            e.tier = text("tier")
            e.depot = text("depot")
            e.notBefore = try time("not_before")
            e.deadline = try time("deadline")
            e.clearedAt = try time(Trace.clearedAtColumn)
            if let cleared = e.clearedAt, cleared > at {
                throw TraceError(line: line, column: Trace.clearedAtColumn, message: "\(cleared) is after the order's 'at' (\(at)): an order is received after it is cleared")
            }
        case .complaint:
            e.orderID = try required("order_id", name)
        case .capacity:
            e.depot = try required("depot", name)
            e.from = try time("from")
            e.to = try time("to")
            guard let from = e.from else { throw TraceError(line: line, column: "from", message: "a capacity event needs it") }
            guard let to = e.to else { throw TraceError(line: line, column: "to", message: "a capacity event needs it") }
            guard from < to else { throw TraceError(line: line, column: "to", message: "\(to) is not after 'from' (\(from))") }
            e.capacity = try integer("capacity", 0...100_000_000)
            e.reason = text("reason")
            if e.capacity != nil && e.reason == nil {
                throw TraceError(line: line, column: "reason", message: "a capacity event that sets a capacity needs a reason")
            }
        case .expedite:
            e.orderID = try required("order_id", name)
            e.reason = try required("reason", name)
        }
        if let stray = unread.sorted().first {
            throw TraceError(line: line, column: stray, message: "does not apply to a \(name) event (leave it empty)")
        }
        return e
    }
}
