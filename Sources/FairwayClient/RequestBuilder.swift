// Commands → request objects on the wire.

import FairwayProtocol

/// Builds the request for a command (all but `submit`, `help` and `simulate`, which are not one request).
enum RequestBuilder {
    /// `{"id": id, "op": ..., ...parameters}` for `command`, or `nil` for the commands that are not one request (`help`, `--version`, `sample`, `submit`).
    /// Options left out on the command line are left out of the request.
    static func request(for command: Command, id: Int) -> JSON? {
        var object = JSONObject()
        object.append("id", JSON(id))
        func op(_ name: String) { object.append("op", .string(name)) }
        func add(_ key: String, _ value: String?) {
            if let value { object.append(key, .string(value)) }
        }
        switch command {
        case .help, .submit, .outcomeFile, .manifest, .simulate, .metrics, .watch, .version, .sample:
            return nil
        case .status:
            op("status")
        case .export(let from, let to):
            op("export")
            add("from", from)
            add("to", to)
        case .order(let id):
            op("order")
            add("order_id", id)
        case .queue(let depot, let limit, let after):
            op("queue")
            add("depot", depot)
            if let limit { object.append("limit", JSON(limit)) }
            add("after", after)
        case .schedule(let depot, let from, let to, _):
            op("schedule")
            add("depot", depot)
            add("from", from)
            add("to", to)
        case .customer(let id):
            op("customer")
            add("customer_id", id)
        case .complain(let id, let channel, let note):
            op("complain")
            add("order_id", id)
            add("channel", channel)
            add("note", note)
        case .deliver(let id, let at):
            op("deliver")
            add("order_id", id)
            add("at", at)
        case .cancel(let id, let reason):
            op("cancel")
            add("order_id", id)
            add("reason", reason)
        case .fail(let id, let reason, let note, let at, let retry):
            op("fail")
            add("order_id", id)
            add("reason", reason)
            add("note", note)
            add("at", at)
            if retry { object.append("retry", .bool(true)) }
        case .capacity(let depot, let from, let to, let capacity, let reason):
            op("capacity")
            add("depot", depot)
            add("from", from)
            add("to", to)
            if let capacity { object.append("capacity", JSON(capacity)) }
            add("reason", reason)
        case .history(let id):
            op("history")
            add("order_id", id)
        case .report(let from, let to, let by, _):
            op("report")
            add("from", from)
            add("to", to)
            if !by.isEmpty { object.append("by", .array(by.map { .string($0) })) }
        case .expedite(let id, let reason, let dryRun):
            op("expedite")
            add("order_id", id)
            add("reason", reason)
            if dryRun { object.append("dry_run", .bool(true)) }
        case .expedites(let from, let to):
            op("expedites")
            add("from", from)
            add("to", to)
        case .why(let id):
            op("why")
            add("order_id", id)
        case .atRisk(let depot, let limit), .overdue(let depot, let limit):
            op(command.isAtRisk ? "at_risk" : "overdue")
            add("depot", depot)
            if let limit { object.append("limit", JSON(limit)) }
        }
        return .object(object)
    }
}
