// A service-failure report: a table of the counts per row, a bar of on time
// to first promise per row on a terminal, or CSV for a spreadsheet.

import FairwayProtocol

/// Renders a `report` answer.
enum ReportRenderer {
    /// The count columns: title and field, in the table's order.
    static let columns: [(title: String, field: String)] = [
        ("CLOSED", "closed"), ("DELIV", "delivered"), ("ON TIME", "on_time"), ("LATE", "late"), ("FAILED", "failed"),
        ("CANC", "cancelled"), ("OVERDUE", "overdue"), ("RETRIED", "retried"), ("MOVED", "promise_moved"),
        ("EXPED", "expedited"), ("DISPL", "displaced"), ("DL MISSED", "deadline_missed"), ("COMPL", "complaints"),
        ("COMPL OT", "complaints_on_time"),
    ]

    /// The key of a row as cells, one per dimension (`-` for null).
    static func keyCells(_ row: JSONObject, by: [String]) -> [String] {
        let key = row.object("key") ?? JSONObject()
        return by.map { key.string($0) ?? "-" }
    }

    /// `87.5%` or `-`.
    static func percent(_ value: JSON?) -> String {
        guard let v = value?.doubleValue else { return "-" }
        var text = String((v * 1000).rounded() / 10)
        if text.hasSuffix(".0") { text.removeLast(2) }
        return text + "%"
    }

    /// The table, the total row last, failures by reason under it, and a
    /// bar of on time to first promise per row when `chart`.
    static func render(_ fields: JSONObject, by: [String], from: String, to: String, chart: Bool) -> String {
        let rows = fields.objects("rows")
        let total = fields.object("total") ?? JSONObject()
        var text = "Service from \(WireTime.stamp(from)) to \(WireTime.stamp(to))"
        text += by.isEmpty ? ":\n" : ", by \(by.joined(separator: ", ")):\n"
        var table = TextTable(columns: by.map { .init($0.uppercased()) } + columns.map { .init($0.title, .right) }
            + [.init("OTFP", .right), .init("WAIT H", .right), .init("P95 H", .right)])
        func cells(_ r: JSONObject) -> [String] {
            columns.map { r.display($0.field) } + [percent(r["otfp"]), NumberText.short(r["wait_mean_h"]), NumberText.short(r["wait_p95_h"])]
        }
        if !by.isEmpty { for r in rows { table.append(keyCells(r, by: by) + cells(r)) } }
        table.append((by.isEmpty ? [] : ["TOTAL"] + Array(repeating: "", count: by.count - 1)) + cells(total))
        text += table.render()
        let reasons = (total.object("failed_by_reason") ?? JSONObject())
        if !reasons.keys.isEmpty {
            text += "Failed attempts by reason: " + reasons.keys.map { "\($0) \(reasons.display($0))" }.joined(separator: ", ") + "\n"
        }
        if chart && !by.isEmpty {
            text += "\nOn time to first promise:\n"
            let labels = rows.map { keyCells($0, by: by).joined(separator: " ") }
            let width = labels.map(\.count).max() ?? 0
            for (label, r) in zip(labels, rows) {
                let bar: String
                if let v = r["otfp"]?.doubleValue {
                    bar = FillBar.bar(used: Int((v * 1000).rounded()), capacity: 1000, width: 30) + " " + percent(r["otfp"])
                } else {
                    bar = "(nothing delivered or failed)"
                }
                text += "  " + label.padding(to: width) + "  " + bar + "\n"
            }
        }
        text += "OTFP: on time to first promise, on_time / (delivered + failed). COMPL OT: complaints on orders that were on time.\n"
        return text
    }

    /// CSV: a header row, one row per report row, the total last (`TOTAL` in the first key column).
    static func csv(_ fields: JSONObject, by: [String]) -> String {
        let header = by + columns.map(\.field) + ["otfp", "wait_mean_h", "wait_p95_h"]
        func cells(_ r: JSONObject) -> [String] {
            columns.map { r.display($0.field) } + ["otfp", "wait_mean_h", "wait_p95_h"].map { r[$0]?.doubleValue.map { "\($0)" } ?? "" }
        }
        var lines = [header.map(csvCell).joined(separator: ",")]
        for r in fields.objects("rows") where !by.isEmpty {
            let key = (r.object("key") ?? JSONObject())
            lines.append((by.map { key.string($0) ?? "" } + cells(r)).map(csvCell).joined(separator: ","))
        }
        let total = fields.object("total") ?? JSONObject()
        lines.append(((by.isEmpty ? [] : ["TOTAL"] + Array(repeating: "", count: by.count - 1)) + cells(total)).map(csvCell).joined(separator: ","))
        return lines.joined(separator: "\n") + "\n"
    }

    /// A CSV cell, quoted when it holds a comma, a quote or a newline.
    static func csvCell(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return s }
        return "\"" + s.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
    }
}
