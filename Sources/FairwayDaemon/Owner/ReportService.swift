import Dispatch
import FairwayCore
import FairwayProtocol
import FairwayPOSIX
import FairwayStore

/// Answers `report` on a thread of its own, from a second, read-only SQLite
/// connection: the owner hands a report over after committing what came
/// before it and goes on with other work; the answer comes back to the owner
/// as a job, so the connection's answers stay in its request order.
final class ReportService: @unchecked Sendable {
    private let queue = DispatchQueue(label: "fairway-report")
    private let path: String
    private let mailbox: Mailbox
    /// Opened on first use, on `queue` only.
    private var reader: HistoryReader?

    init(databasePath: String, mailbox: Mailbox) {
        path = databasePath
        self.mailbox = mailbox
    }

    /// Counts the report and posts its answer line to the owner.
    func ask(
        from: Timestamp, to: Timestamp, by: [Report.Dimension], now: Timestamp, id: JSON?, connection: Int, closeAfter: Bool
    ) {
        queue.async { [self] in
            let started = MonotonicClock.seconds()
            let bytes: [UInt8]
            do throws(StoreError) {
                if reader == nil { reader = try HistoryReader(path: path) }
                let records = try reader!.reportRecords(from: from, to: to)
                let (rows, total) = Report.count(records, from: from, to: to, by: by, now: now)
                bytes = ResponseEncoder.success(id: id) { $0.report(rows, total: total, by: by) }
            } catch {
                reader = nil
                bytes = ResponseEncoder.failure(id: id, FairwayError(.unavailable, "could not read the history: \(error.message)"))
            }
            mailbox.post(.answered(
                Outgoing(connection: connection, bytes: bytes, close: closeAfter), op: "report",
                seconds: MonotonicClock.seconds() - started))
        }
    }
}
