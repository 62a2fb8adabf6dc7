// The figures measured, and the table printed at the end.

import Glibc

/// How a figure is shown.
enum FigureUnit: Sendable {
    case ordersPerSecond, milliseconds, seconds, bytes, bytesPerOrder, ratio, cores, count

    func format(_ v: Double) -> String {
        switch self {
        case .ordersPerSecond: return grouped(Int(v.rounded()))
        case .milliseconds: return v < 10 ? fixed(v, 3) : fixed(v, 1)
        case .seconds: return fixed(v, 2)
        case .bytes: return fixed(v / 1_048_576, 1)
        case .bytesPerOrder: return grouped(Int(v.rounded()))
        case .ratio: return fixed(v, 2)
        case .cores: return fixed(v, 2)
        case .count: return grouped(Int(v.rounded()))
        }
    }

    var label: String {
        switch self {
        case .ordersPerSecond: return "orders/s"
        case .milliseconds: return "ms"
        case .seconds: return "s"
        case .bytes: return "MiB"
        case .bytesPerOrder: return "B/order"
        case .ratio: return "×"
        case .cores: return "cores"
        case .count: return ""
        }
    }
}

/// A target from the issue: at least or at most a value.
struct Target: Sendable {
    var atLeast: Bool
    var value: Double

    static func atLeast(_ v: Double) -> Target { Target(atLeast: true, value: v) }
    static func atMost(_ v: Double) -> Target { Target(atLeast: false, value: v) }

    func met(by v: Double) -> Bool { atLeast ? v >= value : v <= value }
}

/// One measured figure: min / median / max over its runs.
struct Figure: Sendable {
    var section: String
    var name: String
    var unit: FigureUnit
    var summary: Summary
    var target: Target?
}

/// Collects figures as scenarios finish and prints them as one table.
final class Report {
    private(set) var figures: [Figure] = []
    private(set) var notes: [String] = []

    func add(_ section: String, _ name: String, _ unit: FigureUnit, _ values: [Double], target: Target? = nil) {
        guard !values.isEmpty else { return }
        let figure = Figure(section: section, name: name, unit: unit, summary: Summary(values), target: target)
        figures.append(figure)
        progress("  = \(name): " + Self.cells(figure).joined(separator: " / ") + " " + unit.label)
    }

    func note(_ text: String) { notes.append(text) }

    private static func cells(_ f: Figure) -> [String] {
        [f.summary.min, f.summary.median, f.summary.max].map { f.unit.format($0) }
    }

    /// The table: one row per figure under its section's title.
    func render() -> String {
        let header = ["figure", "unit", "min", "median", "max", "runs", "target", "median meets it"]
        var rows: [[String]?] = []  // nil: a section title
        var titles: [String] = []
        var section = ""
        for f in figures {
            if f.section != section {
                section = f.section
                titles.append(section)
                rows.append(nil)
            }
            let target = f.target.map { ($0.atLeast ? "≥ " : "≤ ") + f.unit.format($0.value) } ?? ""
            let verdict = f.target.map { $0.met(by: f.summary.median) ? "yes" : "NO" } ?? ""
            rows.append(["  " + f.name, f.unit.label] + Self.cells(f) + [String(f.summary.runs), target, verdict])
        }
        var widths = header.map(\.count)
        for row in rows.compactMap({ $0 }) { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, c in
                let padding = String(repeating: " ", count: widths[i] - c.count)
                return i <= 1 ? c + padding : padding + c
            }.joined(separator: "  ")
        }
        var out = [line(header), String(repeating: "-", count: widths.reduce(0, +) + 2 * (widths.count - 1))]
        var title = 0
        for row in rows {
            if let row {
                out.append(line(row))
            } else {
                out.append(titles[title])
                title += 1
            }
        }
        if !notes.isEmpty { out += [""] + notes.map { "- " + $0 } }
        return out.joined(separator: "\n") + "\n"
    }
}

/// A progress line on stderr, at once.
func progress(_ text: String) {
    var line = text + "\n"
    line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
}

/// `1,234,567`.
func grouped(_ n: Int) -> String {
    let digits = String(n.magnitude)
    var out = ""
    for (i, c) in digits.enumerated() {
        if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
        out.append(c)
    }
    return (n < 0 ? "-" : "") + out
}

/// `v` with `places` decimals.
func fixed(_ v: Double, _ places: Int) -> String {
    var scale = 1.0
    for _ in 0..<places { scale *= 10 }
    let r = (v * scale).rounded() / scale
    var s = String(r)
    if let dot = s.firstIndex(of: ".") {
        let have = s.distance(from: dot, to: s.endIndex) - 1
        if have < places { s += String(repeating: "0", count: places - have) }
        if places == 0 { s = String(s[..<dot]) }
    } else if places > 0 {
        s += "." + String(repeating: "0", count: places)
    }
    return s
}
