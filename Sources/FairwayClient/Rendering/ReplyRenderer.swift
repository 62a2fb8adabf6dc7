// A successful answer → the human-readable text for its command.

import FairwayProtocol

/// Chooses the renderer for a command's successful answer.
enum ReplyRenderer {
    /// The text to print for `command`'s answer `fields`.
    /// `terminal`: standard output is a terminal (a report then draws its chart).
    static func render(_ command: Command, fields: JSONObject, terminal: Bool = false) -> String {
        switch command {
        case .report(let from, let to, let by, let csv):
            return csv ? ReportRenderer.csv(fields, by: by) : ReportRenderer.render(fields, by: by, from: from, to: to, chart: terminal)
        case .status:
            return StatusRenderer.render(fields)
        case .order:
            return fields.object("order").map(OrderRenderer.render) ?? missing("order")
        case .queue(let depot, let limit, _):
            return QueueRenderer.render(fields.objects("orders"), depot: depot, limit: limit)
        case .schedule(_, _, _, let listOrders):
            return ScheduleRenderer.render(fields.objects("slots"), listOrders: listOrders)
        case .customer:
            return fields.object("customer").map(CustomerRenderer.render) ?? missing("customer")
        case .complain, .deliver, .cancel, .fail:
            return fields.object("order").map { ActionRenderer.render(command, order: $0) } ?? missing("order")
        case .capacity(let depot, _, _, let capacity, let reason):
            return CapacityRenderer.render(fields, depot: depot, capacity: capacity, reason: reason)
        case .history(let id):
            return HistoryRenderer.render(fields.objects("events"), orderID: id)
        case .why:
            return fields.object("why").map(WhyRenderer.render) ?? missing("why")
        case .atRisk(let depot, _):
            return AttentionRenderer.atRisk(fields.objects("orders"), count: fields.int("count") ?? 0, depot: depot)
        case .overdue(let depot, _):
            return AttentionRenderer.overdue(fields.objects("orders"), count: fields.int("count") ?? 0, depot: depot)
        case .expedite:
            return ExpediteRenderer.render(fields)
        case .expedites:
            return ExpediteRenderer.ledger(fields.objects("expedites"))
        case .export:
            return ExportRenderer.render(fields.objects("events"))
        case .help, .submit, .outcomeFile, .manifest, .simulate, .metrics, .watch, .version, .sample:
            return ""
        }
    }

    private static func missing(_ field: String) -> String {
        "The daemon's answer has no \"\(field)\" object.\n"
    }
}
