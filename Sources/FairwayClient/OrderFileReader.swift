// A CSV or JSON-lines file of orders → order objects with their line numbers.

import FairwayCore
import FairwayProtocol

/// An order read from a file, as it will be sent, with where it came from.
struct SourcedOrder: Sendable, Equatable {
    /// The order object.
    var order: JSON
    /// The 1-based line of the file where it starts.
    var line: Int
}

/// Reads orders for `submit`.
///
/// CSV: the first non-blank record is a header naming the fields; each
/// following record is one order whose non-empty cells become fields in header
/// order (empty cells are left out; `units` becomes a JSON integer when it
/// reads as one, else stays a string for the daemon to reject; a date alone in
/// `cleared_at`, `not_before` or `deadline` means its midnight UTC; unknown
/// names are sent as they are, for the daemon to reject). Rows that are wholly empty
/// are skipped; a row with more cells than the header is an error.
///
/// JSON lines: every non-blank line must be one JSON object; it is sent as is.
enum OrderFileReader {
    /// The format named by the file's extension, else by its first non-blank
    /// character (`{`: JSON lines; anything else: CSV).
    static func guessFormat(path: String?, bytes: [UInt8]) -> OrderFileFormat {
        if let path {
            let name = path.split(separator: "/").last.map(String.init) ?? path
            if let dot = name.lastIndex(of: ".") {
                switch name[name.index(after: dot)...].lowercased() {
                case "csv": return .csv
                case "jsonl", "json", "ndjson": return .jsonl
                default: break
                }
            }
        }
        var i = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while i < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) { i += 1 }
        return i < bytes.count && bytes[i] == UInt8(ascii: "{") ? .jsonl : .csv
    }

    /// The orders in `bytes`, or a usage error naming `source` and the line.
    static func orders(_ bytes: [UInt8], format: OrderFileFormat, source: String) -> Result<[SourcedOrder], UsageError> {
        let result: Result<[SourcedOrder], UsageError>
        switch format {
        case .csv: result = csvOrders(bytes, source: source)
        case .jsonl: result = jsonLineOrders(bytes, source: source)
        }
        if case .success(let orders) = result, orders.isEmpty {
            return .failure(UsageError("submit: no orders in \(source)", command: "submit"))
        }
        return result
    }

    /// Orders from CSV with a header row.
    static func csvOrders(_ bytes: [UInt8], source: String) -> Result<[SourcedOrder], UsageError> {
        let records: [CSVRecord]
        switch CSVReader.records(bytes) {
        case .success(let value): records = value
        case .failure(let error): return .failure(problem(source, error.line, error.message))
        }
        guard let header = records.first else { return .success([]) }
        var names: [String] = []
        for (column, name) in header.cells.enumerated() {
            let trimmed = name.trimmingSpaces
            if trimmed.isEmpty {
                return .failure(problem(source, header.line, "column \(column + 1) of the header has no name"))
            }
            if names.contains(trimmed) {
                return .failure(problem(source, header.line, "the header names '\(trimmed)' twice"))
            }
            names.append(trimmed)
        }
        var orders: [SourcedOrder] = []
        orders.reserveCapacity(records.count - 1)
        for record in records.dropFirst() {
            if record.cells.count > names.count {
                return .failure(problem(
                    source, record.line,
                    "\(record.cells.count) cells, but the header names \(names.count) field\(names.count == 1 ? "" : "s")"))
            }
            if record.cells.allSatisfy(\.isEmpty) { continue }
            var object = JSONObject()
            for (name, cell) in zip(names, record.cells) where !cell.isEmpty {
                object.append(name, value(of: cell, field: name))
            }
            orders.append(SourcedOrder(order: .object(object), line: record.line))
        }
        return .success(orders)
    }

    /// The order fields that hold a time.
    static let timeFields: Set<String> = ["cleared_at", "not_before", "deadline"]

    /// A cell's JSON value: an integer for a `units` cell that reads as one;
    /// for a time field, a date alone (`2026-12-07`) as its midnight UTC;
    /// else the text (anything else is sent as it is, for the daemon to judge).
    static func value(of cell: String, field: String) -> JSON {
        if field == "units", let units = Int(cell.trimmingSpaces) { return JSON(units) }
        if timeFields.contains(field), let time = WireTime.requestTime(cell.trimmingSpaces) { return .string(time) }
        return .string(cell)
    }

    /// Orders from JSON lines.
    static func jsonLineOrders(_ bytes: [UInt8], source: String) -> Result<[SourcedOrder], UsageError> {
        var orders: [SourcedOrder] = []
        var lineNumber = 0
        var start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while start < bytes.count {
            lineNumber += 1
            var end = start
            while end < bytes.count && bytes[end] != 0x0A { end += 1 }
            let next = end + 1
            let line = bytes[start..<end]
            start = next
            guard line.contains(where: { ![0x20, 0x09, 0x0D].contains($0) }) else { continue }
            let parsed: JSON
            do {
                parsed = try JSONParser.parse(Array(line))
            } catch {
                return .failure(problem(source, lineNumber, "not valid JSON: \(error.message)"))
            }
            guard case .object = parsed else {
                let hint = parsed.arrayValue != nil ? " (write one order object per line, not an array)" : ""
                return .failure(problem(source, lineNumber, "expected a JSON object, found \(parsed.typeName)\(hint)"))
            }
            orders.append(SourcedOrder(order: parsed, line: lineNumber))
        }
        return .success(orders)
    }

    private static func problem(_ source: String, _ line: Int, _ message: String) -> UsageError {
        UsageError("submit: \(source) line \(line): \(message)", command: "submit")
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        var view = Substring(self)
        while let c = view.first, c == " " || c == "\t" { view.removeFirst() }
        while let c = view.last, c == " " || c == "\t" { view.removeLast() }
        return String(view)
    }
}
