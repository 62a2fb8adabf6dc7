// `deliver --file` and `fail --file`: a day's outcomes from a CSV, one request per row.

import FairwayCore
import FairwayProtocol

/// One row of an outcome file, ready to send, or why it cannot be.
struct OutcomeRow: Sendable, Equatable {
    /// The 1-based line of the file.
    var line: Int
    /// The order id, when the row has one.
    var orderID: String?
    /// The request, or what is wrong with the row.
    var request: Result<JSON, UsageError>
}

/// Runs `fairwayctl deliver --file F` and `fairwayctl fail --file F`.
///
/// The file is CSV: `order_id,at[,reason,note,retry]` (`deliver` takes the
/// first two only). A header row naming those fields, in any order, may come
/// first; without one the columns are in that order. Each row becomes its own
/// request, all pipelined on one connection, so one bad row loses nothing
/// else. Prints how many were recorded and every refused row with its reason;
/// exits 1 when any row was refused (by the daemon or before sending).
enum OutcomeFileCommand {
    /// The columns an outcome file may have, in their default order.
    static let columns = ["order_id", "at", "reason", "note", "retry"]

    static func run(op: String, path: String, invocation: Invocation, socket: SocketChoice, context: ClientContext) -> ExitCode {
        let bytes: [UInt8]
        switch context.readInput(path == "-" ? nil : path) {
        case .success(let read): bytes = read
        case .failure(let error): return usage(UsageError("\(op): \(error)", command: op), context)
        }
        let rows: [OutcomeRow]
        switch Self.rows(bytes, op: op, source: path) {
        case .success(let read): rows = read
        case .failure(let error): return usage(error, context)
        }
        guard !rows.isEmpty else { return usage(UsageError("\(op): \(path) holds no rows", command: op), context) }
        var sendable: [(row: Int, line: [UInt8])] = []
        for (i, row) in rows.enumerated() {
            if case .success(let request) = row.request { sendable.append((i, request.serialized() + [10])) }
        }
        var answers: [Int: Reply] = [:]
        var lost: ConnectionError?
        if !sendable.isEmpty {
            guard let connection = FairwayCtl.connect(invocation, socket: socket, context: context) else { return .unreachable }
            do {
                try connection.exchange(sendable.map(\.line), expecting: sendable.count) { index, line in
                    let reply = Reply(line: line)
                    if invocation.json { context.writeOutput(reply.text + "\n") }
                    answers[sendable[index].row] = reply
                }
            } catch {
                lost = error
            }
        }
        var recorded = 0
        var refused: [String] = []
        var unanswered = 0
        for (i, row) in rows.enumerated() {
            let name = "line \(row.line)" + (row.orderID.map { " (\($0))" } ?? "")
            switch row.request {
            case .failure(let problem):
                refused.append("\(name): \(problem.message)")
            case .success:
                guard let reply = answers[i] else {
                    unanswered += 1
                    continue
                }
                if let error = reply.error { refused.append("\(name): \(error.text)") } else { recorded += 1 }
            }
        }
        let what = op == "deliver" ? "deliveries" : "failed attempts"
        if !invocation.json {
            context.writeOutput("Recorded \(recorded) of \(rows.count) \(what) from \(path).\n")
        }
        if !refused.isEmpty {
            context.writeError("fairwayctl: \(NumberText.count(refused.count, "row")) refused:\n" + refused.map { "  \($0)\n" }.joined())
        }
        if let lost {
            context.writeError("fairwayctl: \(lost); no answer for \(NumberText.count(unanswered, "row")); whether they were recorded is unknown (sending them again is safe)\n")
            return .unreachable
        }
        return refused.isEmpty ? .success : .daemonError
    }

    /// The rows of an outcome file, each a request or what is wrong with it;
    /// a usage error when the file as a whole cannot be read.
    static func rows(_ bytes: [UInt8], op: String, source: String) -> Result<[OutcomeRow], UsageError> {
        let records: [CSVRecord]
        switch CSVReader.records(bytes) {
        case .success(let read): records = read
        case .failure(let error): return .failure(UsageError("\(op): \(source) \(error)", command: op))
        }
        guard let first = records.first else { return .success([]) }
        var names = columns
        var body = records[...]
        if first.cells.first?.trimmingSpaces == "order_id" {
            names = []
            for cell in first.cells {
                let name = cell.trimmingSpaces
                guard columns.contains(name), !names.contains(name) else {
                    let problem = names.contains(name) ? "names '\(name)' twice" : "names '\(name)' (known: \(columns.joined(separator: ", ")))"
                    return .failure(UsageError("\(op): \(source) line \(first.line): the header \(problem)", command: op))
                }
                names.append(name)
            }
            body = records.dropFirst()
        }
        return .success(body.compactMap { record in
            if record.cells.allSatisfy(\.isEmpty) { return nil }
            return row(record, names: names, op: op)
        })
    }

    /// One row's request, or what is wrong with it.
    static func row(_ record: CSVRecord, names: [String], op: String) -> OutcomeRow {
        var cells: [String: String] = [:]
        for (name, cell) in zip(names, record.cells) where !cell.isEmpty { cells[name] = cell }
        let orderID = cells["order_id"]
        func refuse(_ message: String) -> OutcomeRow {
            OutcomeRow(line: record.line, orderID: orderID, request: .failure(UsageError(message, command: op)))
        }
        if record.cells.count > names.count {
            return refuse("\(record.cells.count) cells, but there are \(names.count) columns (\(names.joined(separator: ",")))")
        }
        guard let orderID else { return refuse("no order_id") }
        var object = JSONObject()
        object.append("op", .string(op))
        object.append("order_id", .string(orderID))
        if let at = cells["at"] {
            guard Timestamp(rfc3339: at) != nil else {
                return refuse("at: '\(at)' is not an RFC 3339 time such as 2026-11-24T09:40:00Z")
            }
            object.append("at", .string(at))
        }
        if op == "deliver" {
            if let extra = ["reason", "note", "retry"].first(where: { cells[$0] != nil }) {
                return refuse("\(extra): deliver takes order_id and at only (\(extra) is for fail)")
            }
        } else {
            guard let reason = cells["reason"] else { return refuse("reason: missing (fail needs one)") }
            object.append("reason", .string(reason))
            if let note = cells["note"] { object.append("note", .string(note)) }
            if let text = cells["retry"] {
                guard let retry = Self.flag(text) else { return refuse("retry: '\(text)' is not true or false") }
                object.append("retry", .bool(retry))
            }
        }
        return OutcomeRow(line: record.line, orderID: orderID, request: .success(.object(object)))
    }

    /// `true`/`false`, `yes`/`no`, `1`/`0` (any case).
    static func flag(_ text: String) -> Bool? {
        switch text.trimmingSpaces.lowercased() {
        case "true", "yes", "1": true
        case "false", "no", "0": false
        default: nil
        }
    }

    private static func usage(_ error: UsageError, _ context: ClientContext) -> ExitCode {
        context.writeError(error.text)
        return .usage
    }
}
