// One-line confirmations of complain, deliver, cancel and fail.

import FairwayProtocol

/// Renders the answer to a state-changing command about one order.
enum ActionRenderer {
    /// What was done to which order, then the order's state and slot.
    static func render(_ command: Command, order: JSONObject) -> String {
        let id = order.string("order_id") ?? "?"
        var line: String
        switch command {
        case .complain(_, let channel, _):
            let count = order.int("complaints").map { "; \(NumberText.count($0, "complaint")) in all" } ?? ""
            let via = channel.map { " (\($0))" } ?? ""
            line = "Complaint\(via) recorded for order \(id)\(count). Its place and slot are unchanged."
        case .deliver:
            line = "Order \(id) recorded as delivered."
        case .cancel(_, let reason):
            line = "Order \(id) cancelled" + (reason.map { " (reason: \($0))" } ?? "") + "."
        case .fail(_, let reason, _, _, let retry):
            line = retry
                ? "Failed attempt (\(reason)) recorded for order \(id); it is back in line in its old place."
                : "Order \(id) recorded as failed (reason: \(reason))."
        default:
            line = "Order \(id):"
        }
        return line + "\n  State:  " + OrderRenderer.stateLine(order) + "\n"
    }
}
