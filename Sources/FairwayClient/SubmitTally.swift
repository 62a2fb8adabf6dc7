// Adds up the answers to a submit's batches and says what happened.

import FairwayProtocol

/// What the daemon answered to each batch of a `submit`, added up.
struct SubmitTally: Sendable {
    /// The batches sent.
    let batches: [SubmitBatch]
    /// How many batches have an answer.
    private(set) var answered = 0
    /// Batches stored (answered `ok`).
    private(set) var storedBatches = 0
    /// Orders in stored batches.
    private(set) var storedOrders = 0
    /// Sum of `accepted` over stored batches.
    private(set) var accepted = 0
    /// Sum of `duplicates` over stored batches.
    private(set) var duplicates = 0
    /// Orders of stored batches by the `state` in their results.
    private(set) var states: [String: Int] = [:]
    /// Accepted orders (not duplicates) whose slot already misses their deadline.
    private(set) var atRiskCount = 0
    /// The first few of them: their place in the input and planned slot.
    private(set) var atRiskFirst: [(position: Int, orderID: String, slotStart: String?, slotEnd: String?)] = []
    /// How many of them `atRiskReport` lists.
    static let atRiskShown = 5
    /// The batches the daemon rejected, with its error.
    private(set) var failures: [(batch: SubmitBatch, error: DaemonError)] = []

    init(batches: [SubmitBatch]) { self.batches = batches }

    /// The orders sent.
    var totalOrders: Int { batches.last?.orders.upperBound ?? 0 }

    /// Records the answer to the next batch.
    mutating func record(_ reply: Reply) {
        guard answered < batches.count else { return }
        let batch = batches[answered]
        answered += 1
        if let error = reply.error {
            failures.append((batch, error))
            return
        }
        storedBatches += 1
        storedOrders += batch.orders.count
        accepted += reply.fields.int("accepted") ?? 0
        duplicates += reply.fields.int("duplicates") ?? 0
        for (k, result) in reply.fields.objects("results").enumerated() {
            states[result.string("state") ?? "unknown", default: 0] += 1
            if result.bool("at_risk") == true && result.bool("duplicate") != true {
                atRiskCount += 1
                if atRiskFirst.count < Self.atRiskShown {
                    atRiskFirst.append((batch.orders.lowerBound + k, result.display("order_id"), result.string("slot_start"), result.string("slot_end")))
                }
            }
        }
    }

    /// How the run should end: success, a daemon error, or unreachable when
    /// some batch got no answer.
    var exitCode: ExitCode {
        if answered < batches.count { return .unreachable }
        return failures.isEmpty ? .success : .daemonError
    }

    /// `300 accepted, 12 duplicates; 96 committed, 216 queued`.
    private var counts: String {
        var text = "\(accepted) accepted, \(NumberText.count(duplicates, "duplicate"))"
        let known = ["committed", "queued"]
        let ordered = known.filter { states[$0] != nil } + states.keys.filter { !known.contains($0) }.sorted()
        if !ordered.isEmpty {
            text += "; " + ordered.map { "\(states[$0]!) \($0)" }.joined(separator: ", ")
        }
        return text
    }

    /// The summary for standard output, e.g.
    /// `Submitted 312 orders in 1 batch: 300 accepted, 12 duplicates; 96 committed, 216 queued.`
    var summary: String {
        if storedBatches == batches.count {
            return "Submitted \(NumberText.count(totalOrders, "order")) in \(NumberText.count(batches.count, "batch", "batches")): \(counts).\n"
        }
        var text = "Sent \(NumberText.count(totalOrders, "order")) in \(NumberText.count(batches.count, "batch", "batches")); "
        text += "stored \(storedOrders) in \(storedBatches) of \(batches.count) batches"
        text += storedBatches > 0 ? ": \(counts).\n" : ".\n"
        if !failures.isEmpty {
            let rejected = failures.reduce(0) { $0 + $1.batch.orders.count }
            text += "Rejected \(NumberText.count(rejected, "order")) in \(NumberText.count(failures.count, "batch", "batches")); nothing in \(failures.count == 1 ? "it" : "them") was stored.\n"
        }
        let unanswered = batches.count - answered
        if unanswered > 0 {
            text += "No answer for \(NumberText.count(unanswered, "batch", "batches")); whether they were stored is unknown (submitting them again is safe).\n"
        }
        return text
    }

    /// For standard error: how many accepted orders already miss their
    /// deadline, with the first few (order, deadline, planned slot); empty
    /// when none does.
    func atRiskReport(orders: [SourcedOrder]) -> String {
        guard atRiskCount > 0 else { return "" }
        var text = "\(NumberText.count(atRiskCount, "accepted order")) already miss\(atRiskCount == 1 ? "es" : "") \(atRiskCount == 1 ? "its" : "their") deadline"
        text += atRiskCount > atRiskFirst.count ? "; the first \(atRiskFirst.count):\n" : ":\n"
        var table = TextTable(columns: [.init("ORDER"), .init("DEADLINE (UTC)"), .init("PLANNED SLOT (UTC)")])
        table.indent = "  "
        for r in atRiskFirst {
            let deadline = orders.indices.contains(r.position) ? orders[r.position].order.objectValue?.string("deadline") : nil
            table.append([r.orderID, WireTime.stamp(deadline), WireTime.slot(start: r.slotStart, end: r.slotEnd)])
        }
        text += table.render()
        text += "See them all with their notes: fairwayctl at-risk\n"
        return text
    }

    /// The errors for standard error. Per rejected batch: its lines and the
    /// error code, then its problems summed up by cause (``SubmitFaults``),
    /// or the daemon's message as it is when it names no order. Then which
    /// batches got no answer. `json`: the full answers are on standard output.
    func problems(orders: [SourcedOrder], source: String, json: Bool = false) -> String {
        var text = ""
        var summed = false
        for (batch, error) in failures {
            let head = "fairwayctl: batch \(batch.id) of \(batches.count) (\(batch.lineRange) of \(source))"
            let faults = SubmitFaults.parse(error.message)
            guard !faults.isEmpty else {
                text += "\(head): \(error.text)\n"
                continue
            }
            let bad = Set(faults.map(\.index)).count
            text += "\(head) refused (\(error.code)), nothing in it stored; \(NumberText.count(bad, "order")) with problems, by cause:\n"
            text += SubmitFaults.summary(faults, batch: batch, orders: orders)
            summed = true
        }
        if summed && !json {
            text += "fairwayctl: every order and field the daemon named: run again with --json (answers on standard output)\n"
        }
        if answered < batches.count {
            let first = batches[answered]
            let last = batches[batches.count - 1]
            let range = first.id == last.id ? "batch \(first.id)" : "batches \(first.id)–\(last.id)"
            text += "fairwayctl: no answer for \(range) (from line \(first.firstLine) of \(source))\n"
        }
        return text
    }
}
