// A refused submit's message, cut into its problems and summed up by cause.

/// One problem the daemon named in a refused `submit`: the order's index in
/// the batch, the field (empty for the order as a whole) and what is wrong.
struct OrderFault: Sendable, Equatable {
    /// The `N` of `orders[N]`: the order's place in the batch.
    var index: Int
    /// The field's key, or empty when the problem is about the whole order.
    var field: String
    /// What is wrong, as the daemon said it.
    var message: String

    /// What the problems are grouped by: the field, or for a problem without
    /// one (a conflict, say) its message without the details in parentheses.
    var cause: String {
        guard field.isEmpty else { return field }
        if let open = message.firstRange(of: " (") { return String(message[..<open.lowerBound]) }
        return message
    }
}

/// Reads the problems out of a refused submit's message and sums them up.
///
/// The daemon names each bad order and field in one message:
/// `orders[3] (order_id SO-9): units: 0 is out of range 1..10000; cleared_at: ...; orders[7] ...`.
/// A clump with a mistake in every row makes that one line of tens of
/// kilobytes; `summary` turns it into a few lines: per cause, how many orders,
/// one example, and the first few orders with their input lines.
enum SubmitFaults {
    /// Causes listed in a summary; the rest are counted.
    static let maxCauses = 10
    /// Orders listed per cause; the rest are counted.
    static let maxOrdersPerCause = 5

    /// The problems in `message`, in order; empty when it names no `orders[N]`.
    static func parse(_ message: String) -> [OrderFault] {
        var faults: [OrderFault] = []
        for part in orderParts(message) {
            // `orders[N]` or `orders[N] (order_id X)`, then `: ` and the problems.
            guard let close = part.firstIndex(of: "]"),
                let index = Int(part[part.index(part.startIndex, offsetBy: 7)..<close])
            else { continue }
            // The id in parentheses may hold anything printable, "; " and ": " too.
            let afterIndex = part[part.index(after: close)...]
            let head = afterIndex.hasPrefix(" (") ? afterIndex.firstRange(of: "): ").map { $0.lowerBound..<part.index(after: $0.lowerBound) } : nil
            guard let colon = afterIndex[(head?.upperBound ?? afterIndex.startIndex)...].firstRange(of: ": ") else { continue }
            var current: OrderFault?
            for segment in part[colon.upperBound...].split(separator: "; ", omittingEmptySubsequences: false).map(String.init) {
                if let (field, text) = fieldAndMessage(segment) {
                    if let current { faults.append(current) }
                    current = OrderFault(index: index, field: field, message: text)
                } else if current != nil {
                    current!.message += "; " + segment  // a "; " inside a message
                } else {
                    current = OrderFault(index: index, field: "", message: segment)
                }
            }
            if let current { faults.append(current) }
        }
        return faults
    }

    /// `message` cut where each `orders[N]` begins (at its start or after `; `).
    private static func orderParts(_ message: String) -> [Substring] {
        var starts: [String.Index] = []
        for found in message.ranges(of: "orders[") {
            let atStart = found.lowerBound == message.startIndex
            let afterSeparator = message[..<found.lowerBound].hasSuffix("; ")
            let digits = message[found.upperBound...].prefix { $0.isASCII && $0.isNumber }
            if (atStart || afterSeparator) && !digits.isEmpty && message[found.upperBound...].dropFirst(digits.count).first == "]" {
                starts.append(found.lowerBound)
            }
        }
        return zip(starts, starts.dropFirst().map { Optional($0) } + [nil]).map { start, next in
            guard let next else { return message[start...] }
            // Drop the `; ` before the next part.
            return message[start..<message.index(next, offsetBy: -2)]
        }
    }

    /// `field: message` when `segment` starts with a key (no spaces) and `: `.
    private static func fieldAndMessage(_ segment: String) -> (String, String)? {
        guard let colon = segment.firstRange(of: ": ") else { return nil }
        let key = segment[..<colon.lowerBound]
        guard !key.isEmpty, key.count <= 64, !key.contains(" ") else { return nil }
        return (String(key), String(segment[colon.upperBound...]))
    }

    /// The summary for standard error: per cause (in order of first
    /// appearance) how many orders, one example message, and the first
    /// orders with their input lines.
    static func summary(_ faults: [OrderFault], batch: SubmitBatch, orders: [SourcedOrder]) -> String {
        var causes: [String] = []
        var byCause: [String: [OrderFault]] = [:]
        for fault in faults {
            if byCause[fault.cause] == nil { causes.append(fault.cause) }
            byCause[fault.cause, default: []].append(fault)
        }
        func place(_ index: Int) -> String {
            let position = batch.orders.lowerBound + index
            guard batch.orders.contains(position) else { return "orders[\(index)]" }
            let sourced = orders[position]
            let id = sourced.order.objectValue?["order_id"]?.stringValue
            return "line \(sourced.line)" + (id.map { " (\($0))" } ?? "")
        }
        var text = ""
        for cause in causes.prefix(maxCauses) {
            let list = byCause[cause]!
            // One entry per order, even when it has this cause twice.
            var indices: [Int] = []
            for fault in list where !indices.contains(fault.index) { indices.append(fault.index) }
            let example = list[0]
            text += "  \(cause): \(NumberText.count(indices.count, "order")), e.g. \(place(example.index)): \(example.message)\n"
            var shown = indices.prefix(maxOrdersPerCause).map(place).joined(separator: ", ")
            if indices.count > maxOrdersPerCause { shown += ", and \(indices.count - maxOrdersPerCause) more" }
            text += "    \(shown)\n"
        }
        if causes.count > maxCauses {
            text += "  and \(NumberText.count(causes.count - maxCauses, "more cause", "more causes"))\n"
        }
        return text
    }
}
