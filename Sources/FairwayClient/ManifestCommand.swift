// `manifest`: one slot's orders in loading order, for the depot and the driver.

import FairwayCore
import FairwayProtocol

/// Runs `fairwayctl manifest DEPOT [--slot T] [--csv]`.
///
/// Made of the existing reads on one connection: `status` (the depot's slot
/// length and its next bookable slot, the default), `schedule` for that one
/// slot (its orders, committed first, each group in service order: the
/// loading order), then `order` for each of them, pipelined.
enum ManifestCommand {
    static func run(depot: String, slot: String?, csv: Bool, invocation: Invocation, socket: SocketChoice, context: ClientContext) -> ExitCode {
        guard let connection = FairwayCtl.connect(invocation, socket: socket, context: context) else { return .unreachable }
        func ask(_ request: JSON) throws(ConnectionError) -> Reply { Reply(line: try connection.request(request.serialized())) }
        func refused(_ reply: Reply) -> ExitCode? {
            guard let error = reply.error else { return nil }
            context.writeError("fairwayctl: \(error.text)\n")
            return .daemonError
        }
        do {
            let status = try ask(["id": 1, "op": "status"])
            if let exit = refused(status) { return exit }
            guard let d = status.fields.objects("depots").first(where: { $0.string("name") == depot }),
                let length = d.int("slot_length_s"), length > 0
            else {
                let known = status.fields.objects("depots").compactMap { $0.string("name") }.joined(separator: ", ")
                context.writeError("fairwayctl: not_found: no depot named '\(depot)' (known: \(known))\n")
                return .daemonError
            }
            let start: Int64
            if let slot, let t = Timestamp(rfc3339: slot) {
                let ms = t.milliseconds, lengthMs = Int64(length) * 1000
                start = (ms >= 0 ? ms / lengthMs : -((-ms + lengthMs - 1) / lengthMs)) * Int64(length)
            } else if let next = d.objects("next_slots").first?.string("start"), let t = Timestamp(rfc3339: next) {
                start = t.seconds
            } else {
                context.writeError("fairwayctl: the daemon's status names no next slot for depot '\(depot)'\n")
                return .daemonError
            }
            let from = Timestamp(seconds: start).rfc3339
            let to = Timestamp(seconds: start + Int64(length)).rfc3339
            let schedule = try ask(["id": 2, "op": "schedule", "depot": .string(depot), "from": .string(from), "to": .string(to)])
            if let exit = refused(schedule) { return exit }
            let slotFields = schedule.fields.objects("slots").first
            let ids = (slotFields?["orders"]?.arrayValue ?? []).compactMap(\.stringValue)
            var orders: [JSONObject] = []
            if !ids.isEmpty {
                let requests = ids.enumerated().map { i, id in
                    (["id": JSON(i), "op": "order", "order_id": .string(id)] as JSON).serialized() + [10]
                }
                var failure: ExitCode?
                try connection.exchange(requests, expecting: requests.count) { _, line in
                    let reply = Reply(line: line)
                    if invocation.json { context.writeOutput(reply.text + "\n") }
                    if let exit = refused(reply) { failure = exit } else if let o = reply.fields.object("order") { orders.append(o) }
                }
                if let failure { return failure }
            }
            let header = Manifest(depot: depot, start: from, end: to, slot: slotFields, orders: orders)
            if !invocation.json { context.writeOutput(csv ? header.csv() : header.table()) }
            return .success
        } catch {
            context.writeError("fairwayctl: \(error)\n")
            return .unreachable
        }
    }
}

/// One slot's orders, in loading order, as a table or a driver's CSV sheet.
struct Manifest {
    var depot: String
    var start: String
    var end: String
    /// The slot as `schedule` answered it (nil: it holds no orders).
    var slot: JSONObject?
    var orders: [JSONObject]

    /// The columns, for both forms.
    static let columns = ["#", "ORDER", "CUSTOMER", "UNITS", "STATE", "DEADLINE", "NOTES"]

    /// A heading line, then one row per order (`--json` prints each `order` answer instead).
    func table() -> String {
        var text = "Depot \(depot), slot \(WireTime.slot(start: start, end: end))"
        guard let slot, !orders.isEmpty else { return text + ": no orders.\n" }
        let used = slot.int("used") ?? 0
        let capacity = slot.int("capacity") ?? 0
        text += ": \(NumberText.count(orders.count, "order")), \(used)/\(capacity) units, "
        text += slot.bool("committed") == true ? "promised.\n" : "projected (beyond the commit horizon: it may still change).\n"
        var table = TextTable(columns: Self.columns.map { TextTable.Column($0, $0 == "#" || $0 == "UNITS" ? .right : .left) })
        for (i, row) in rows().enumerated() {
            var cells = row
            cells[0] = String(i + 1)
            if let deadline = WireTime(cells[5]) { cells[5] = deadline.isoDayAndClock }
            cells[6] = cells[6].count > 48 ? String(cells[6].prefix(47)) + "…" : cells[6]
            table.append(cells)
        }
        return text + "\n" + table.render()
    }

    /// `position,order_id,customer_id,units,state,deadline,notes`, RFC 4180 quoting, full notes.
    func csv() -> String {
        var text = "position,order_id,customer_id,units,state,deadline,notes\n"
        for (i, row) in rows().enumerated() {
            var cells = row
            cells[0] = String(i + 1)
            text += cells.map(Self.quoted).joined(separator: ",") + "\n"
        }
        return text
    }

    /// The cells of each order (the position left empty): id, customer,
    /// units, promised or projected, deadline, notes.
    private func rows() -> [[String]] {
        orders.map { o in
            [
                "", o.string("order_id") ?? "", o.string("customer_id") ?? "", o.display("units"),
                Self.state(o), o.string("deadline") ?? "",
                o.string("notes") ?? "",
            ]
        }
    }

    /// `promised` for a committed order, `projected` for a queued one, else its state.
    static func state(_ o: JSONObject) -> String {
        switch o.string("state") {
        case "committed": "promised"
        case "queued": "projected"
        case let other: other ?? "-"
        }
    }

    /// A cell as CSV: quoted when it holds a comma, a quote or a line break.
    static func quoted(_ cell: String) -> String {
        guard cell.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return cell }
        return "\"" + String(cell.flatMap { $0 == "\"" ? ["\"", "\""] : [$0] }) + "\""
    }
}
