// Plain-text tables with columns as wide as their widest cell.

/// A table of text: a header row and rows of cells, each column as wide as its
/// widest cell, separated by two spaces, without trailing spaces.
struct TextTable: Sendable {
    /// How a column's cells sit in its width.
    enum Alignment: Sendable { case left, right }

    /// A column's title and alignment.
    struct Column: Sendable {
        var title: String
        var alignment: Alignment = .left

        init(_ title: String, _ alignment: Alignment = .left) {
            self.title = title
            self.alignment = alignment
        }
    }

    /// The columns.
    var columns: [Column]
    /// The rows; missing cells are empty, extra cells are dropped.
    var rows: [[String]] = []
    /// Text before each line.
    var indent = ""

    /// Adds a row.
    mutating func append(_ row: [String]) { rows.append(row) }

    /// The table, one line per row after the header, each ending in a newline.
    func render() -> String {
        var widths = columns.map(\.title.count)
        for row in rows {
            for (i, cell) in row.prefix(columns.count).enumerated() { widths[i] = max(widths[i], cell.count) }
        }
        var text = ""
        func line(_ cells: [String]) {
            var parts: [String] = []
            for (i, column) in columns.enumerated() {
                let cell = i < cells.count ? cells[i] : ""
                parts.append(column.alignment == .left ? cell.padding(to: widths[i]) : cell.leftPadding(to: widths[i]))
            }
            var rendered = indent + parts.joined(separator: "  ")
            while rendered.last == " " { rendered.removeLast() }
            text += rendered + "\n"
        }
        line(columns.map(\.title))
        for row in rows { line(row) }
        return text
    }
}
