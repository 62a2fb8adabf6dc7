public import FairwayCore

extension Trace {
    /// The trace as CSV text that `Trace(csv:)` reads back: the header row
    /// (with the `cleared_at` column only when some order carries one), then
    /// one line per event. Times are UTC, with milliseconds when they have any.
    public func csv() -> String {
        let withCleared = events.contains { $0.clearedAt != nil }
        let header = Self.columns + (withCleared ? [Self.clearedAtColumn] : [])
        var text = header.joined(separator: ",") + "\n"
        for e in events {
            var cells: [String] = [Self.time(e.at), e.kind.rawValue, e.orderID ?? "", e.customerID ?? ""]
            cells.append(e.units.map { String($0) } ?? "")
            cells.append(e.tier ?? "")
            cells.append(e.depot ?? "")
            cells.append(e.notBefore.map(Self.time) ?? "")
            cells.append(e.deadline.map(Self.time) ?? "")
            cells.append(e.capacity.map { String($0) } ?? "")
            cells.append(e.from.map(Self.time) ?? "")
            cells.append(e.to.map(Self.time) ?? "")
            cells.append(e.reason ?? "")
            if withCleared { cells.append(e.clearedAt.map(Self.time) ?? "") }
            text += cells.map(Self.quoted).joined(separator: ",") + "\n"
        }
        return text
    }

    /// RFC 3339 in UTC, with a fraction only when the instant has milliseconds.
    public static func time(_ t: Timestamp) -> String {
        let ms = Int(((t.milliseconds % 1000) + 1000) % 1000)
        guard ms != 0 else { return t.rfc3339 }
        let whole = t.rfc3339.dropLast()  // the `Z`
        let digits = String(ms)
        return whole + "." + String(repeating: "0", count: 3 - digits.count) + digits + "Z"
    }

    /// A CSV cell, quoted when it holds a comma, a quote, a line break or
    /// edge blanks (which an unquoted cell would lose).
    static func quoted(_ cell: String) -> String {
        let needs = cell.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }
            || cell.first == " " || cell.last == " " || cell.first == "\t" || cell.last == "\t"
        guard needs else { return cell }
        return "\"" + cell.replacing("\"", with: "\"\"") + "\""
    }
}
