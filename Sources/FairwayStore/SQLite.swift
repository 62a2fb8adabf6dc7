import CSQLite
import Glibc

/// SQLITE_TRANSIENT, which Swift does not import: SQLite copies bound text.
private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// One SQLite connection. Not thread-safe: one owner uses it (the daemon's
/// state writer).
final class SQLiteConnection {
    private(set) var handle: OpaquePointer?
    let path: String

    /// Opens `path`; `readOnly` for a reader beside the writer (WAL: it sees
    /// the last commit and never blocks the writer).
    init(path: String, readOnly: Bool = false) throws(StoreError) {
        self.path = path
        var db: OpaquePointer?
        let flags = (readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) | SQLITE_OPEN_NOMUTEX
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        handle = db
        if rc != SQLITE_OK {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(db)
            handle = nil
            throw Self.error(rc, "opening \(path): \(message)")
        }
        sqlite3_extended_result_codes(db, 1)
        sqlite3_busy_timeout(db, 5000)
    }

    deinit { close() }

    /// Closes the connection (finalize statements first).
    func close() {
        if let handle { sqlite3_close_v2(handle) }
        handle = nil
    }

    static func error(_ rc: Int32, _ message: String) -> StoreError {
        let primary = rc & 0xff
        let kind: StoreError.Kind
        switch primary {
        case SQLITE_FULL, SQLITE_READONLY, SQLITE_IOERR, SQLITE_CANTOPEN, SQLITE_BUSY, SQLITE_LOCKED, SQLITE_PERM:
            kind = .unavailable
        case SQLITE_NOTADB, SQLITE_CORRUPT:
            kind = .foreign
        default:
            kind = .failed
        }
        return StoreError(kind: kind, code: rc, message: message)
    }

    func fail(_ rc: Int32, _ doing: String) -> StoreError {
        let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "no connection"
        return Self.error(rc, "\(doing): \(message)\(systemError(rc)) (SQLite code \(rc))")
    }

    /// For an I/O failure, what the operating system said (": Read-only file
    /// system"): SQLite's own message is only "disk I/O error". SQLite keeps
    /// the errno of the last failed system call on each file it has open; in
    /// WAL mode changes are written to the WAL (the "journal"), so ask it
    /// first, then the database file.
    func systemError(_ rc: Int32) -> String {
        let primary = rc & 0xff
        guard primary == SQLITE_IOERR || primary == SQLITE_CANTOPEN, let handle else { return "" }
        var code: Int32 = 0
        var journal: UnsafeMutablePointer<sqlite3_file>?
        if sqlite3_file_control(handle, "main", SQLITE_FCNTL_JOURNAL_POINTER, &journal) == SQLITE_OK,
            let journal, let control = journal.pointee.pMethods?.pointee.xFileControl
        {
            _ = control(journal, SQLITE_FCNTL_LAST_ERRNO, &code)
        }
        if code == 0 { _ = sqlite3_file_control(handle, "main", SQLITE_FCNTL_LAST_ERRNO, &code) }
        if code == 0 { code = sqlite3_system_errno(handle) }
        return code == 0 ? "" : ": " + String(cString: strerror(code))
    }

    /// Runs SQL that returns no rows.
    func execute(_ sql: String) throws(StoreError) {
        var err: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &err)
        if rc != SQLITE_OK {
            let message = err.map { String(cString: $0) } ?? "error"
            sqlite3_free(err)
            throw Self.error(rc, "\(sql.prefix(60)): \(message)\(systemError(rc)) (SQLite code \(rc))")
        }
    }

    func prepare(_ sql: String) throws(StoreError) -> SQLiteStatement {
        var stmt: OpaquePointer?
        let rc = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &stmt, nil)
        guard rc == SQLITE_OK, let stmt else { throw fail(rc, "preparing \(sql.prefix(60))") }
        return SQLiteStatement(stmt, connection: self)
    }
}

/// A prepared statement, reused: bind, step, reset.
final class SQLiteStatement {
    private var stmt: OpaquePointer?
    private unowned let connection: SQLiteConnection

    init(_ stmt: OpaquePointer, connection: SQLiteConnection) {
        self.stmt = stmt
        self.connection = connection
    }

    deinit { sqlite3_finalize(stmt) }

    func bind(_ i: Int32, _ value: Int64?) {
        if let value { sqlite3_bind_int64(stmt, i, value) } else { sqlite3_bind_null(stmt, i) }
    }

    func bind(_ i: Int32, _ value: Double) { sqlite3_bind_double(stmt, i, value) }

    func bind(_ i: Int32, _ value: String?) {
        guard let value else {
            sqlite3_bind_null(stmt, i)
            return
        }
        var v = value
        v.withUTF8 { buf in
            _ = sqlite3_bind_text(stmt, i, UnsafeRawPointer(buf.baseAddress!).assumingMemoryBound(to: CChar.self), Int32(buf.count), transient)
        }
    }

    /// Steps once; true when a row is available.
    func step() throws(StoreError) -> Bool {
        let rc = sqlite3_step(stmt)
        if rc == SQLITE_ROW { return true }
        if rc == SQLITE_DONE { return false }
        throw connection.fail(rc, "running \(String(cString: sqlite3_sql(stmt)).prefix(60))")
    }

    /// Steps to completion, then resets for reuse.
    func run() throws(StoreError) {
        defer { reset() }
        while try step() {}
    }

    func reset() {
        sqlite3_reset(stmt)
        sqlite3_clear_bindings(stmt)
    }

    func int64(_ col: Int32) -> Int64 { sqlite3_column_int64(stmt, col) }
    func optionalInt64(_ col: Int32) -> Int64? {
        sqlite3_column_type(stmt, col) == SQLITE_NULL ? nil : sqlite3_column_int64(stmt, col)
    }
    func double(_ col: Int32) -> Double { sqlite3_column_double(stmt, col) }
    func string(_ col: Int32) -> String {
        guard let p = sqlite3_column_text(stmt, col) else { return "" }
        let n = Int(sqlite3_column_bytes(stmt, col))
        return String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)
    }
    func optionalString(_ col: Int32) -> String? {
        sqlite3_column_type(stmt, col) == SQLITE_NULL ? nil : string(col)
    }
}
