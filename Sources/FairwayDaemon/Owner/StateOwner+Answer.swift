import FairwayCore
import FairwayProtocol

extension StateOwner {
    /// Applies one operation and writes its answer line. Failed operations
    /// change nothing (the scheduler checks before it changes).
    func answer(_ op: Operation, id: JSON?, now: Timestamp, actor: String) -> [UInt8] {
        do {
            return try perform(op, id: id, now: now, actor: actor)
        } catch {
            return ResponseEncoder.failure(id: id, error)
        }
    }

    private func perform(_ op: Operation, id: JSON?, now: Timestamp, actor: String) throws(FairwayError) -> [UInt8] {
        switch op {
        case .submit(let orders, let indexes, let problems, let dryRun):
            if !problems.isEmpty {
                // Report everything wrong: decoding problems and content problems together.
                let all = problems + scheduler.validate(orders, now: now, indexOffset: indexes)
                throw .invalid(OrderProblem.describe(all))
            }
            if dryRun {
                // The real submit on a copy of the state; lookups meanwhile
                // are answered from the live state, which does not change.
                _ = scheduler.extendProjections(budget: .max)
                let whatIf = try scheduler.whatIfSubmit(orders, now: now, actor: actor) { _ in
                    answerWaitingLookups(in: scheduler)
                }
                return ResponseEncoder.success(id: id) { $0.submitWhatIf(whatIf) }
            }
            let results = try scheduler.submit(orders, now: now, actor: actor) { s in
                #if DEBUG
                slowClumpHook?.sleep()
                #endif
                answerWaitingLookups(in: s)
            }
            return ResponseEncoder.success(id: id) { $0.submitResults(results) }
        case .order(let orderID):
            let view = try scheduler.order(orderID)
            return ResponseEncoder.success(id: id) { w in
                w.key("order")
                w.order(view)
            }
        case .queue(let depot, let limit, let after):
            let views = try scheduler.queue(depot: depot, limit: limit, after: after)
            return ResponseEncoder.success(id: id) { w in
                w.key("orders")
                w.beginArray()
                for v in views { w.order(v) }
                w.endArray()
            }
        case .schedule(let depot, let from, let to):
            let slots = try scheduler.schedule(depot: depot, from: from, to: to)
            return ResponseEncoder.success(id: id) { $0.slots(slots) }
        case .customer(let customerID, let limit):
            let view = try scheduler.customer(customerID, limit: limit, now: now)
            return ResponseEncoder.success(id: id) { w in
                w.key("customer")
                w.customer(view)
            }
        case .complain(let orderID, let channel, let note):
            let (view, _) = try scheduler.complain(orderID: orderID, channel: channel, note: note, now: now, actor: actor)
            return orderAnswer(id: id, view)
        case .deliver(let orderID, let at):
            return orderAnswer(id: id, try scheduler.close(orderID: orderID, as: .delivered, reason: nil, at: at, now: now, actor: actor))
        case .cancel(let orderID, let reason):
            return orderAnswer(id: id, try scheduler.close(orderID: orderID, as: .cancelled, reason: reason, now: now, actor: actor))
        case .fail(let orderID, let reason, let note, let at, let retry):
            return orderAnswer(id: id, try scheduler.fail(
                orderID: orderID, reason: reason, note: note, at: at, retry: retry, now: now, actor: actor))
        case .capacity(let depot, let from, let to, let capacity, let reason):
            let answer = try scheduler.setCapacity(
                depot: depot, from: from, to: to, capacity: capacity, reason: reason, now: now, actor: actor)
            return ResponseEncoder.success(id: id) { $0.capacityAnswer(answer) }
        case .history(let orderID):
            guard let order = scheduler.storedOrder(orderID) else { throw .notFound("no order with order_id '\(orderID)'") }
            let rows: [(at: Timestamp, kind: String, actor: String, message: String)]
            do {
                rows = try store.history(orderID: orderID)
            } catch {
                throw FairwayError(.unavailable, "could not read the history: \(error.message)")
            }
            return ResponseEncoder.success(id: id) { w in
                w.key("events")
                w.beginArray()
                let received = [(at: order.receivedAt, kind: "ingested", actor: order.submittedBy,
                                 message: "order \(order.orderID) accepted for depot \(order.depot)")]
                for r in received + rows {
                    w.beginObject()
                    w.key("at"); w.time(r.at)
                    w.key("kind"); w.string(r.kind)
                    w.key("actor"); w.string(r.actor)
                    w.key("message"); w.string(r.message)
                    w.endObject()
                }
                w.endArray()
            }
        case .report, .export:
            // `handle` hands reports and exports to the history thread before they get here.
            throw FairwayError(.internal, "\(op.name) is answered by the history thread")
        case .why(let orderID):
            let why = try scheduler.why(orderID)
            return ResponseEncoder.success(id: id) { w in
                w.key("why")
                w.why(why)
            }
        case .atRisk(let depot, let limit):
            let list = try scheduler.atRisk(depot: depot, limit: limit, now: now)
            return ResponseEncoder.success(id: id) { $0.orderList(list.orders, count: list.count) }
        case .overdue(let depot, let limit):
            let list = try scheduler.overdue(depot: depot, limit: limit, now: now)
            return ResponseEncoder.success(id: id) { $0.orderList(list.orders, count: list.count) }
        case .metrics:
            let text = metricsText()
            return ResponseEncoder.success(id: id) { w in
                w.key("text")
                w.string(text)
            }
        case .expedite(let orderID, let reason, let dryRun):
            let answer = dryRun
                ? try scheduler.whatIfExpedite(orderID: orderID, reason: reason, now: now, actor: actor)
                : try scheduler.expedite(orderID: orderID, reason: reason, now: now, actor: actor)
            return ResponseEncoder.success(id: id) { $0.expedite(answer, dryRun: dryRun) }
        case .expedites(let from, let to):
            let entries = scheduler.expediteLedger(from: from, to: to)
            return ResponseEncoder.success(id: id) { w in
                w.key("expedites")
                w.beginArray()
                for e in entries { w.expediteRecord(e) }
                w.endArray()
            }
        case .watch:
            // `handle` registered the watcher; the events follow this line.
            return ResponseEncoder.success(id: id) { w in
                w.key("watching")
                w.bool(true)
            }
        case .status:
            let status = scheduler.status()
            return ResponseEncoder.success(id: id) { w in
                w.key("version"); w.string(Self.version)
                w.key("started_at"); w.time(startedAt)
                w.status(status)
                w.key("connections")
                w.beginObject()
                w.key("total"); w.int(mailbox.connections.total)
                for role in Role.allCases {
                    w.key(role.rawValue); w.int(mailbox.connections.count(role))
                }
                w.endObject()
            }
        }
    }

    func orderAnswer(id: JSON?, _ view: OrderView) -> [UInt8] {
        ResponseEncoder.success(id: id) { w in
            w.key("order")
            w.order(view)
        }
    }
}
