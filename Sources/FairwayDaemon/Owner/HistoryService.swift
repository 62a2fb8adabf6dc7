import Dispatch
import FairwayCore
#if DEBUG
import Glibc
#endif
import FairwayProtocol
import FairwayPOSIX
import FairwayStore

/// Answers the long reads of the history, `report` and `export`, on a
/// thread of its own, from a second, read-only SQLite connection: the owner
/// hands such a read over after committing what came before it and goes on
/// with other work (ingest, lookups); the answer comes back to the owner as
/// a job, so the connection's answers stay in its request order.
final class HistoryService: @unchecked Sendable {
    private let queue = DispatchQueue(label: "fairway-history")
    private let path: String
    private let mailbox: Mailbox
    /// Opened on first use, on `queue` only.
    private var reader: HistoryReader?
    #if DEBUG
    /// Test-only, in debug builds alone: `FAIRWAY_TEST_HISTORY_PAUSE_MS`
    /// makes every read of this thread start that much later, so that the
    /// end-to-end tests can show, deterministically, that ingest and lookups
    /// go on meanwhile. Release builds have no such hook.
    private let pauseMicroseconds = TestHookEnvironment.positive("FAIRWAY_TEST_HISTORY_PAUSE_MS", as: UInt32.self).map { $0 * 1000 }
    #endif

    init(databasePath: String, mailbox: Mailbox) {
        path = databasePath
        self.mailbox = mailbox
    }

    /// Counts the report and posts its answer line to the owner.
    func report(
        from: Timestamp, to: Timestamp, by: [Report.Dimension], now: Timestamp, id: JSON?, connection: Int, closeAfter: Bool
    ) {
        read(op: "report", id: id, connection: connection, closeAfter: closeAfter) { reader throws(StoreError) in
            let records = try reader.reportRecords(from: from, to: to)
            let (rows, total) = Report.count(records, from: from, to: to, by: by, now: now)
            return ResponseEncoder.success(id: id) { $0.report(rows, total: total, by: by) }
        }
    }

    /// Reads the history of `[from, to)` as a trace and posts its answer line to the owner.
    func export(from: Timestamp, to: Timestamp, id: JSON?, connection: Int, closeAfter: Bool) {
        read(op: "export", id: id, connection: connection, closeAfter: closeAfter) { reader throws(StoreError) in
            let entries = try reader.exportEntries(from: from, to: to)
            return ResponseEncoder.success(id: id) { w in
                w.key("events")
                w.beginArray()
                for e in entries { w.exportEntry(e) }
                w.endArray()
            }
        }
    }

    /// Runs `answer` on the history thread with the reader (opened if need
    /// be) and posts its bytes, or `unavailable` if the read failed.
    private func read(
        op: String, id: JSON?, connection: Int, closeAfter: Bool,
        _ answer: @escaping @Sendable (HistoryReader) throws(StoreError) -> [UInt8]
    ) {
        queue.async { [self] in
            let started = MonotonicClock.seconds()
            #if DEBUG
            if let pauseMicroseconds { usleep(pauseMicroseconds) }
            #endif
            let bytes: [UInt8]
            do throws(StoreError) {
                if reader == nil { reader = try HistoryReader(path: path) }
                bytes = try answer(reader!)
            } catch {
                reader = nil
                bytes = ResponseEncoder.failure(id: id, FairwayError(.unavailable, "could not read the history: \(error.message)"))
            }
            mailbox.post(.answered(
                Outgoing(connection: connection, bytes: bytes, close: closeAfter), op: op,
                seconds: MonotonicClock.seconds() - started))
        }
    }
}
