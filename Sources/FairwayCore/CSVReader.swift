// RFC 4180 comma-separated values → records of cells, with line numbers: what
// order files and scenario traces are read with.

/// One CSV record: its cells and the line it starts on.
public struct CSVRecord: Sendable, Equatable {
    /// The 1-based line of the file where the record starts.
    public var line: Int
    /// The cells, unquoted.
    public var cells: [String]

    public init(line: Int, cells: [String]) {
        self.line = line
        self.cells = cells
    }
}

/// A CSV file that cannot be read, naming the line.
public struct CSVError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The 1-based line where the problem is.
    public var line: Int
    /// What is wrong.
    public var message: String

    public init(line: Int, message: String) {
        self.line = line
        self.message = message
    }

    public var description: String { "line \(line): \(message)" }
}

/// Reads RFC 4180 CSV.
///
/// - Cells are separated by commas and records by CRLF, LF or a lone CR.
/// - A cell that starts with `"` (after optional spaces) is quoted: it may hold
///   commas, line breaks (CRLF inside becomes LF) and doubled quotes `""`.
///   Only spaces may follow its closing quote before the next comma or line end.
/// - Unquoted cells are trimmed of spaces and tabs; a `"` inside one is kept.
/// - A UTF-8 byte-order mark at the start is skipped; records that are wholly
///   blank (one empty unquoted cell) are skipped.
/// - An unterminated quote, text after a closing quote, or invalid UTF-8 is an
///   error naming the line.
public enum CSVReader {
    /// The records of `bytes`, or the first problem.
    public static func records(_ bytes: [UInt8]) -> Result<[CSVRecord], CSVError> {
        var scanner = CSVScanner(bytes: bytes)
        var records: [CSVRecord] = []
        while !scanner.atEnd {
            switch scanner.record() {
            case .success(let record):
                if record.cells.count == 1 && record.cells[0].isEmpty && !scanner.lastCellWasQuoted { continue }
                records.append(record)
            case .failure(let error):
                return .failure(error)
            }
        }
        return .success(records)
    }
}

/// The byte-level state of a CSV read.
private struct CSVScanner {
    let bytes: [UInt8]
    var index = 0
    var line = 1
    var cell: [UInt8] = []
    var lastCellWasQuoted = false

    static let quote = UInt8(ascii: "\"")
    static let comma = UInt8(ascii: ",")
    static let cr = UInt8(ascii: "\r")
    static let lf = UInt8(ascii: "\n")
    static let space = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t")

    init(bytes: [UInt8]) {
        self.bytes = bytes
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
    }

    var atEnd: Bool { index >= bytes.count }

    /// Reads one record, consuming its line break.
    mutating func record() -> Result<CSVRecord, CSVError> {
        let startLine = line
        var cells: [String] = []
        while true {
            switch field() {
            case .success(let text): cells.append(text)
            case .failure(let error): return .failure(error)
            }
            if index < bytes.count && bytes[index] == Self.comma {
                index += 1
                continue
            }
            consumeLineBreak()
            return .success(CSVRecord(line: startLine, cells: cells))
        }
    }

    /// Consumes CRLF, LF or CR at the current position, if any.
    mutating func consumeLineBreak() {
        guard index < bytes.count else { return }
        if bytes[index] == Self.cr {
            index += 1
            if index < bytes.count && bytes[index] == Self.lf { index += 1 }
            line += 1
        } else if bytes[index] == Self.lf {
            index += 1
            line += 1
        }
    }

    /// Reads one cell, stopping at the comma or line break after it.
    mutating func field() -> Result<String, CSVError> {
        cell.removeAll(keepingCapacity: true)
        var probe = index
        while probe < bytes.count && (bytes[probe] == Self.space || bytes[probe] == Self.tab) { probe += 1 }
        if probe < bytes.count && bytes[probe] == Self.quote {
            index = probe + 1
            lastCellWasQuoted = true
            return quotedField()
        }
        lastCellWasQuoted = false
        while index < bytes.count {
            let b = bytes[index]
            if b == Self.comma || b == Self.cr || b == Self.lf { break }
            cell.append(b)
            index += 1
        }
        while let first = cell.first, first == Self.space || first == Self.tab { cell.removeFirst() }
        while let last = cell.last, last == Self.space || last == Self.tab { cell.removeLast() }
        return text()
    }

    /// Reads a quoted cell's contents after its opening quote.
    mutating func quotedField() -> Result<String, CSVError> {
        let openedOn = line
        while true {
            guard index < bytes.count else {
                return .failure(CSVError(line: openedOn, message: "a quoted cell is never closed (its opening quote is on this line)"))
            }
            let b = bytes[index]
            index += 1
            if b == Self.quote {
                if index < bytes.count && bytes[index] == Self.quote {
                    cell.append(Self.quote)
                    index += 1
                    continue
                }
                break
            }
            if b == Self.cr {
                if index < bytes.count && bytes[index] == Self.lf { index += 1 }
                cell.append(Self.lf)
                line += 1
            } else {
                if b == Self.lf { line += 1 }
                cell.append(b)
            }
        }
        while index < bytes.count && (bytes[index] == Self.space || bytes[index] == Self.tab) { index += 1 }
        if index < bytes.count {
            let b = bytes[index]
            if b != Self.comma && b != Self.cr && b != Self.lf {
                return .failure(CSVError(line: line, message: "unexpected text after a closing quote (write a quote inside a quoted cell as \"\")"))
            }
        }
        return text()
    }

    /// The current cell as a string, or an error if it is not UTF-8.
    func text() -> Result<String, CSVError> {
        guard let string = String(validating: cell, as: UTF8.self) else {
            return .failure(CSVError(line: line, message: "not valid UTF-8"))
        }
        return .success(string)
    }
}
