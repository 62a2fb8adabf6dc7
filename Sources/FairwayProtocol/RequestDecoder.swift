import FairwayCore

/// Turns one request line into a `Request`, checking every field's presence
/// and type. Content rules that need the config (known depots, capacities)
/// are the scheduler's.
public enum RequestDecoder {
    /// The fields an order may have. A list, not a set: checking an order's
    /// keys compares them with these few short strings and marks each seen
    /// one in a bit mask, with no hashing or allocation per order.
    static let orderKeys: [String] = [
        "order_id", "customer_id", "units", "cleared_at", "depot", "tier", "not_before", "deadline", "notes",
    ]

    static let parameters: [String: Set<String>] = [
        "submit": ["orders", "dry_run"], "order": ["order_id"], "queue": ["depot", "limit", "after"],
        "schedule": ["depot", "from", "to"], "customer": ["customer_id", "limit"],
        "complain": ["order_id", "channel", "note"], "deliver": ["order_id", "at"], "cancel": ["order_id", "reason"],
        "fail": ["order_id", "reason", "note", "at", "retry"], "history": ["order_id"], "status": [],
        "why": ["order_id"], "at_risk": ["depot", "limit"], "overdue": ["depot", "limit"], "metrics": [], "report": ["from", "to", "by"],
        "capacity": ["depot", "from", "to", "capacity", "reason"],
        "expedite": ["order_id", "reason", "dry_run"], "expedites": ["from", "to"], "export": ["from", "to"],
        "watch": ["events"],
    ]

    /// Decodes a line (without its newline). `maxBatch` bounds `orders`.
    public static func decode(_ line: [UInt8], maxBatch: Int = 10_000) -> Request {
        let json: JSON
        do {
            json = try JSONParser.parse(line)
        } catch {
            return Request(id: nil, operation: .failure(FairwayError(.badJSON, error.message)))
        }
        guard case .object(let object) = json else {
            return Request(id: nil, operation: .failure(FairwayError(.badJSON, "a request must be a JSON object, got \(json.typeName)")))
        }
        let id = object["id"]
        do {
            return Request(id: id, operation: .success(try operation(object, maxBatch: maxBatch)))
        } catch {
            return Request(id: id, operation: .failure(error))
        }
    }

    static func operation(_ o: JSONObject, maxBatch: Int) throws(FairwayError) -> Operation {
        guard let opValue = o["op"] else { throw .invalid("op: missing (known: \(Operation.names.joined(separator: ", ")))") }
        guard case .string(let op) = opValue else { throw .invalid("op: must be a string, got \(opValue.typeName)") }
        guard let allowed = parameters[op] else {
            throw FairwayError(.unknownOp, "unknown op '\(op)' (known: \(Operation.names.joined(separator: ", ")))")
        }
        var seen = Set<String>()
        for key in o.keys where key != "id" && key != "op" {
            guard allowed.contains(key) else {
                let known = allowed.isEmpty ? "none" : allowed.sorted().joined(separator: ", ")
                throw .invalid("\(key): unknown parameter for op '\(op)' (known: \(known))")
            }
            guard seen.insert(key).inserted else { throw .invalid("\(key): given twice") }
        }
        let p = Params(object: o)
        switch op {
        case "submit": return try submit(o, maxBatch: maxBatch)
        case "order": return .order(orderID: try p.requiredString("order_id"))
        case "queue": return .queue(depot: try p.string("depot"), limit: try p.listLimit(), after: try p.string("after"))
        case "schedule":
            return .schedule(depot: try p.string("depot"), from: try p.time("from"), to: try p.time("to"))
        case "customer":
            let limit = try p.int("limit") ?? 20
            guard (0...1000).contains(limit) else { throw .invalid("limit: \(limit) is out of range 0..1000") }
            return .customer(customerID: try p.requiredString("customer_id"), limit: limit)
        case "why": return .why(orderID: try p.requiredString("order_id"))
        case "at_risk": return .atRisk(depot: try p.string("depot"), limit: try p.listLimit())
        case "overdue": return .overdue(depot: try p.string("depot"), limit: try p.listLimit())
        case "metrics": return .metrics
        case "report": return try report(p)
        case "expedite":
            return .expedite(
                orderID: try p.requiredString("order_id"), reason: try p.requiredString("reason"),
                dryRun: try p.bool("dry_run") ?? false)
        case "expedites": return .expedites(from: try p.time("from"), to: try p.time("to"))
        case "complain":
            return .complain(orderID: try p.requiredString("order_id"), channel: try p.string("channel"), note: try p.string("note"))
        case "deliver": return .deliver(orderID: try p.requiredString("order_id"), at: try p.time("at"))
        case "cancel": return .cancel(orderID: try p.requiredString("order_id"), reason: try p.string("reason"))
        case "fail":
            return .fail(
                orderID: try p.requiredString("order_id"), reason: try p.string("reason"), note: try p.string("note"),
                at: try p.time("at"), retry: try p.bool("retry") ?? false)
        case "capacity":
            return .capacity(
                depot: try p.requiredString("depot"), from: try p.requiredTime("from"), to: try p.requiredTime("to"),
                capacity: try p.int("capacity"), reason: try p.string("reason"))
        case "history": return .history(orderID: try p.requiredString("order_id"))
        case "export":
            let from = try p.time("from")
            let to = try p.time("to")
            if let from, let to, from >= to { throw .invalid("to: must be after from") }
            return .export(from: from, to: to)
        case "watch": return .watch(events: try EventKind.watchable(named: try p.stringArray("events")))
        default: return .status
        }
    }

    /// `report`: `from` and `to` required, `from` before `to`; `by` an array of up to 3 dimension names.
    static func report(_ p: Params) throws(FairwayError) -> Operation {
        guard let from = try p.time("from") else { throw .invalid("from: missing (an RFC 3339 time)") }
        guard let to = try p.time("to") else { throw .invalid("to: missing (an RFC 3339 time)") }
        guard from < to else { throw .invalid("from: must be before to") }
        return .report(from: from, to: to, by: try Report.dimensions(try p.stringArray("by") ?? []))
    }

    static func submit(_ o: JSONObject, maxBatch: Int) throws(FairwayError) -> Operation {
        guard let value = o["orders"] else { throw .invalid("orders: missing (an array of 1..\(maxBatch) orders)") }
        guard case .array(let items) = value else { throw .invalid("orders: must be an array, got \(value.typeName)") }
        guard !items.isEmpty, items.count <= maxBatch else {
            throw .invalid("orders: must hold 1..\(maxBatch) orders, got \(items.count)")
        }
        var orders: [OrderSubmission] = []
        orders.reserveCapacity(items.count)
        var indexes: [Int] = []
        indexes.reserveCapacity(items.count)
        var problems: [OrderProblem] = []
        for (i, item) in items.enumerated() {
            guard case .object(let fields) = item else {
                problems.append(OrderProblem(index: i, orderID: nil, field: "", message: "must be an object, got \(item.typeName)"))
                continue
            }
            let before = problems.count
            if let order = decodeOrder(fields, index: i, problems: &problems), problems.count == before {
                orders.append(order)
                indexes.append(i)
            }
        }
        let dryRun = try Params(object: o).bool("dry_run") ?? false
        return .submit(orders: orders, indexes: indexes, problems: problems, dryRun: dryRun)
    }

    /// Decodes one order object; records each bad field in `problems`.
    static func decodeOrder(_ o: JSONObject, index: Int, problems: inout [OrderProblem]) -> OrderSubmission? {
        let id: String? = if case .string(let s) = o["order_id"] { s } else { nil }
        func problem(_ field: String, _ message: String) {
            problems.append(OrderProblem(index: index, orderID: id, field: field, message: message))
        }
        var seen: UInt32 = 0
        for field in o.fields {
            guard let bit = orderKeys.firstIndex(of: field.key) else {
                problem(field.key, "unknown field (known: \(orderKeys.sorted().joined(separator: ", ")))")
                continue
            }
            if seen & (1 << bit) != 0 { problem(field.key, "given twice") } else { seen |= 1 << bit }
        }
        func string(_ key: String, required: Bool = false) -> String? {
            switch o[key] {
            case .string(let s)?: return s
            case nil, .null?:
                if required { problem(key, "missing") }
                return nil
            case let other?:
                problem(key, "must be a string, got \(other.typeName)")
                return nil
            }
        }
        func time(_ key: String) -> Timestamp? {
            guard let s = string(key) else { return nil }
            guard let t = Timestamp(rfc3339: s) else {
                problem(key, "'\(s.prefix(40))' is not an RFC 3339 time like 2026-11-23T10:00:00Z")
                return nil
            }
            return t
        }
        let orderID = string("order_id", required: true)
        let customerID = string("customer_id", required: true)
        var units: Int?
        switch o["units"] {
        case nil, .null?: break
        case .number(let literal)?:
            if let n = Int(literal) { units = n } else { problem("units", "\(literal) is not an integer 1..10000") }
        case let other?: problem("units", "must be an integer, got \(other.typeName)")
        }
        let order = OrderSubmission(
            orderID: orderID ?? "", customerID: customerID ?? "", units: units, clearedAt: time("cleared_at"),
            depot: string("depot"), tier: string("tier"), notBefore: time("not_before"), deadline: time("deadline"),
            notes: string("notes"))
        return orderID == nil || customerID == nil ? nil : order
    }
}

/// Typed access to a request's parameters, with errors naming the key.
struct Params {
    let object: JSONObject

    func string(_ key: String) throws(FairwayError) -> String? {
        switch object[key] {
        case nil, .null?: return nil
        case .string(let s)?: return s
        case let other?: throw .invalid("\(key): must be a string, got \(other.typeName)")
        }
    }

    func requiredString(_ key: String) throws(FairwayError) -> String {
        guard let s = try string(key) else { throw .invalid("\(key): missing") }
        return s
    }

    /// An array of strings, or nil when absent.
    func stringArray(_ key: String) throws(FairwayError) -> [String]? {
        switch object[key] {
        case nil, .null?: return nil
        case .array(let items)?:
            var names: [String] = []
            for item in items {
                guard case .string(let name) = item else { throw .invalid("\(key): must be an array of strings, got \(item.typeName) in it") }
                names.append(name)
            }
            return names
        case let other?: throw .invalid("\(key): must be an array of strings, got \(other.typeName)")
        }
    }

    func bool(_ key: String) throws(FairwayError) -> Bool? {
        switch object[key] {
        case nil, .null?: return nil
        case .bool(let b)?: return b
        case let other?: throw .invalid("\(key): must be true or false, got \(other.typeName)")
        }
    }

    func int(_ key: String) throws(FairwayError) -> Int? {
        switch object[key] {
        case nil, .null?: return nil
        case .number(let literal)?:
            guard let n = Int(literal) else { throw .invalid("\(key): \(literal) is not an integer") }
            return n
        case let other?: throw .invalid("\(key): must be an integer, got \(other.typeName)")
        }
    }

    /// `limit` of a list: default 100, 1..10000.
    func listLimit() throws(FairwayError) -> Int {
        let limit = try int("limit") ?? 100
        guard (1...10_000).contains(limit) else { throw .invalid("limit: \(limit) is out of range 1..10000") }
        return limit
    }

    func requiredTime(_ key: String) throws(FairwayError) -> Timestamp {
        guard let t = try time(key) else { throw .invalid("\(key): missing (an RFC 3339 time)") }
        return t
    }

    func time(_ key: String) throws(FairwayError) -> Timestamp? {
        guard let s = try string(key) else { return nil }
        guard let t = Timestamp(rfc3339: s) else {
            throw .invalid("\(key): '\(s.prefix(40))' is not an RFC 3339 time like 2026-11-23T10:00:00Z")
        }
        return t
    }
}
