// Orders → `submit` request lines of at most N orders (and at most one wire line's bytes).

import FairwayProtocol

/// One `submit` request: which orders it carries and its line on the wire.
struct SubmitBatch: Sendable, Equatable {
    /// The request `id` (1 for the first batch, 2 for the next, ...).
    var id: Int
    /// The indices of its orders in the input.
    var orders: Range<Int>
    /// The input line of its first order.
    var firstLine: Int
    /// The input line of its last order.
    var lastLine: Int
    /// `{"id":N,"op":"submit","orders":[...]}` (with `"dry_run":true` for a
    /// dry run) and a newline.
    var request: [UInt8]

    /// `lines 2–1001` or `line 7`.
    var lineRange: String {
        firstLine == lastLine ? "line \(firstLine)" : "lines \(firstLine)–\(lastLine)"
    }
}

/// Splits orders into `submit` requests.
///
/// A batch holds `batchSize` orders, except the last, and except that a batch
/// is closed early when one more order would make its request line longer than
/// `maxLineBytes` (the daemon closes the connection after a longer line). An
/// order too big for a line on its own still goes alone in its batch, and the
/// daemon says what is wrong with it.
enum SubmitBatcher {
    /// The daemon's line limit (bytes before the newline).
    static let maxLineBytes = 1_048_576

    /// The batches for `orders`, in input order.
    static func batches(
        _ orders: [SourcedOrder], batchSize: Int, maxLineBytes: Int = maxLineBytes, dryRun: Bool = false
    ) -> [SubmitBatch] {
        precondition(batchSize >= 1, "batchSize must be positive")
        var batches: [SubmitBatch] = []
        var current: [UInt8] = []
        var first = 0
        let flag = dryRun ? "\"dry_run\":true," : ""
        func prefix(_ id: Int) -> [UInt8] { Array("{\"id\":\(id),\"op\":\"submit\",\(flag)\"orders\":[".utf8) }
        func close(upTo end: Int) {
            guard end > first else { return }
            current.append(contentsOf: "]}\n".utf8)
            batches.append(SubmitBatch(
                id: batches.count + 1, orders: first..<end,
                firstLine: orders[first].line, lastLine: orders[end - 1].line, request: current))
            first = end
        }
        current = prefix(1)
        for (index, sourced) in orders.enumerated() {
            let encoded = sourced.order.serialized()
            let count = index - first
            let wouldBe = current.count + (count > 0 ? 1 : 0) + encoded.count + 2
            if count == batchSize || (count > 0 && wouldBe > maxLineBytes) {
                close(upTo: index)
                current = prefix(batches.count + 1)
            }
            if index > first { current.append(UInt8(ascii: ",")) }
            current.append(contentsOf: encoded)
        }
        close(upTo: orders.count)
        return batches
    }
}
