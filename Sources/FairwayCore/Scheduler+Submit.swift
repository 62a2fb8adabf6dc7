/// One thing wrong with one order of a submit.
public struct OrderProblem: Sendable, Equatable {
    /// The order's place in the submit's `orders` array.
    public var index: Int
    /// The order's id, when it had a usable one.
    public var orderID: String?
    /// The key of the bad field (`units`, `depot`, ...), or empty for the order as a whole.
    public var field: String
    /// What is wrong with it.
    public var message: String

    public init(index: Int, orderID: String?, field: String, message: String) {
        self.index = index
        self.orderID = orderID
        self.field = field
        self.message = message
    }

    /// One message naming each bad order by index and id and each bad field by key:
    /// `orders[3] (order_id SO-9): units: ...; depot: ...; orders[7]: ...`.
    public static func describe(_ problems: [OrderProblem]) -> String {
        var parts: [String] = []
        var i = 0
        let sorted = problems.sorted { $0.index < $1.index }
        while i < sorted.count {
            let index = sorted[i].index
            var fields: [String] = []
            var id: String?
            while i < sorted.count, sorted[i].index == index {
                id = id ?? sorted[i].orderID
                fields.append(sorted[i].field.isEmpty ? sorted[i].message : "\(sorted[i].field): \(sorted[i].message)")
                i += 1
            }
            let head = id.map { "orders[\(index)] (order_id \($0))" } ?? "orders[\(index)]"
            parts.append("\(head): " + fields.joined(separator: "; "))
        }
        return parts.joined(separator: "; ")
    }
}

extension Scheduler {
    /// Largest number of characters in an order or customer id.
    public static let maxIDLength = 128
    /// Largest number of characters in an order's notes.
    public static let maxNotesLength = 4096
    /// Largest number of units in one order.
    public static let maxUnits = 10_000
    /// Orders between two calls of `submit`'s `pause`.
    public static let pauseEvery = 64
    /// Queued orders placed between two calls of `submit`'s `pause` while
    /// the projection is extended.
    public static let projectionStep = 65_536
    /// How far ahead of the daemon's clock `cleared_at` may be.
    public static let clearedAtTolerance: Int64 = 60

    /// Whether `s` is an acceptable id: 1...128 characters, none a control character.
    public static func isValidID(_ s: String) -> Bool {
        guard !s.isEmpty, s.utf8.count <= maxIDLength * 4 else { return false }
        var n = 0
        for scalar in s.unicodeScalars {
            let v = scalar.value
            if v < 0x20 || (v >= 0x7F && v < 0xA0) || v == 0x2028 || v == 0x2029 { return false }
            n += 1
        }
        // Characters never outnumber scalars, so this also bounds `s.count`.
        return n <= maxIDLength
    }

    /// Everything wrong with `submissions` against the config and the clock.
    /// Checks each order on its own; duplicates and conflicts are `submit`'s.
    public func validate(_ submissions: [OrderSubmission], now: Timestamp, indexOffset: [Int]? = nil) -> [OrderProblem] {
        validate(submissions[...], now: now, indexOffset: indexOffset)
    }

    /// `validate` of part of a submit; problems name the orders by their
    /// index in the whole submit (the slice's own indexes).
    func validate(_ submissions: ArraySlice<OrderSubmission>, now: Timestamp, indexOffset: [Int]? = nil) -> [OrderProblem] {
        var problems: [OrderProblem] = []
        for (i, s) in zip(submissions.indices, submissions) {
            let index = indexOffset?[i] ?? i
            let id = Self.isValidID(s.orderID) ? s.orderID : nil
            func problem(_ field: String, _ message: String) {
                problems.append(OrderProblem(index: index, orderID: id, field: field, message: message))
            }
            if id == nil { problem("order_id", "must be 1..\(Self.maxIDLength) printable characters") }
            if !Self.isValidID(s.customerID) {
                problem("customer_id", "must be 1..\(Self.maxIDLength) printable characters")
            }
            let depotName = s.depot ?? config.defaultDepot
            let depot = config.depot(named: depotName)
            if depot == nil { problem("depot", "no depot named '\(depotName)' (known: \(config.depots.map(\.name).joined(separator: ", ")))") }
            if let units = s.units {
                if units < 1 || units > Self.maxUnits {
                    problem("units", "\(units) is out of range 1..\(Self.maxUnits)")
                } else if let depot, units > depot.capacity {
                    problem("units", "\(units) is more than one slot of depot '\(depot.name)' holds (\(depot.capacity))")
                }
            } else if let depot, depot.capacity < 1 {
                problem("units", "depot '\(depot.name)' has no capacity")
            }
            if let tier = s.tier, config.tier(named: tier) == nil {
                problem("tier", "no tier named '\(tier)' (known: \(config.tiers.map(\.name).joined(separator: ", ")))")
            }
            if let cleared = s.clearedAt, cleared.milliseconds > now.milliseconds + Self.clearedAtTolerance * 1000 {
                problem("cleared_at", "\(cleared) is more than \(Self.clearedAtTolerance) s ahead of the daemon's clock (\(now))")
            }
            if let notes = s.notes, notes.utf8.count > Self.maxNotesLength, notes.count > Self.maxNotesLength {
                problem("notes", "longer than \(Self.maxNotesLength) characters")
            }
        }
        return problems
    }

    /// The current tier name of a known customer.
    func customerTierName(_ customerID: String) -> String? {
        orders.customerNames.id(of: customerID).map { orders.tierNames[UInt32(customers[Int($0)].tier)] }
    }

    /// The fields in which a submission differs from a stored order, compared
    /// after defaults; an omitted `cleared_at` or `tier` matches what is stored.
    func differences(_ o: Order, _ s: OrderSubmission) -> [String] {
        var d: [String] = []
        if o.customerID != s.customerID { d.append("customer_id") }
        if Int(o.units) != (s.units ?? 1) { d.append("units") }
        if let c = s.clearedAt, c != o.clearedAt { d.append("cleared_at") }
        if o.depot != (s.depot ?? config.defaultDepot) { d.append("depot") }
        if let t = s.tier, t != o.tier { d.append("tier") }
        if o.notBefore != s.notBefore { d.append("not_before") }
        if o.deadline != s.deadline { d.append("deadline") }
        if o.notes != s.notes { d.append("notes") }
        return d
    }

    /// Accepts a batch of orders atomically: every order is valid and none
    /// conflicts with a stored one, or nothing changes and the error names
    /// each bad order. New orders get finish tags from the same virtual time
    /// (they arrived at the same moment), enter the queue, and fill the commit
    /// horizon's free room in service order.
    ///
    /// `pause` is called every `pauseEvery` orders or so with the scheduler
    /// as it stands, so that the caller can answer `publishedOrder(_:)`
    /// lookups during a long submit; it must not keep the scheduler.
    public mutating func submit(
        _ submissions: [OrderSubmission], now: Timestamp, actor: String,
        pause: (borrowing Scheduler) -> Void = { _ in }
    ) throws(FairwayError) -> [SubmitResult] {
        guard !submissions.isEmpty else { throw .invalid("orders: must hold 1..\(config.limits.maxBatch) orders, got none") }
        guard submissions.count <= config.limits.maxBatch else {
            throw .invalid("orders: must hold 1..\(config.limits.maxBatch) orders, got \(submissions.count)")
        }
        var problems: [OrderProblem] = []
        for start in stride(from: 0, to: submissions.count, by: Self.pauseEvery) {
            let range = start..<min(start + Self.pauseEvery, submissions.count)
            problems += validate(submissions[range], now: now)
            pause(self)
        }
        guard problems.isEmpty else { throw .invalid(OrderProblem.describe(problems)) }

        // Phase 1: decide, without changing anything, what is new, what is a
        // duplicate and what conflicts.
        enum Fate { case new(Int), duplicateStored(Int32), duplicateInBatch(Int) }
        var fates: [Fate] = []
        fates.reserveCapacity(submissions.count)
        var fresh: [Order] = []
        var tierOverlay: [String: String] = [:]
        // Needed only to give a later order without a tier its customer's tier from earlier in the batch.
        let someOmitTier = submissions.contains { $0.tier == nil }
        var freshByID: [String: Int] = [:]
        freshByID.reserveCapacity(submissions.count)
        var conflicts: [OrderProblem] = []
        var freshHashes: [Int] = []
        for (i, s) in submissions.enumerated() {
            if i % Self.pauseEvery == Self.pauseEvery - 1 { pause(self) }
            let idHash = OrderTable.idHash(s.orderID)
            if let stored = orders.index(of: s.orderID, hash: idHash) {
                let diff = differences(orders.order(at: stored), s)
                if diff.isEmpty {
                    fates.append(.duplicateStored(stored))
                } else {
                    conflicts.append(OrderProblem(
                        index: i, orderID: s.orderID, field: "",
                        message: "order_id already stored with other content (differs in \(diff.joined(separator: ", ")))"))
                    fates.append(.duplicateStored(stored))
                }
                continue
            }
            if let earlier = freshByID[s.orderID] {
                let diff = differences(fresh[earlier], s)
                if diff.isEmpty {
                    fates.append(.duplicateInBatch(earlier))
                } else {
                    conflicts.append(OrderProblem(
                        index: i, orderID: s.orderID, field: "",
                        message: "order_id appears earlier in this submit with other content (differs in \(diff.joined(separator: ", ")))"))
                    fates.append(.duplicateInBatch(earlier))
                }
                continue
            }
            let depotName = s.depot ?? config.defaultDepot
            let tierName: String
            if let t = s.tier {
                tierName = t
                if someOmitTier { tierOverlay[s.customerID] = t }
            } else if let t = tierOverlay[s.customerID] ?? customerTierName(s.customerID), config.tier(named: t) != nil {
                tierName = t
            } else {
                tierName = config.defaultTier
            }
            let weight = config.tier(named: tierName)!.weight
            let depot = config.depot(named: depotName)!
            fresh.append(Order(
                seq: 0, orderID: s.orderID, customerID: s.customerID, units: Int32(s.units ?? 1), depot: depotName,
                tier: tierName, weight: Int32(weight), clearedAt: s.clearedAt ?? now, receivedAt: now,
                notBefore: s.notBefore, deadline: s.deadline, notes: s.notes, tag: 0, state: .queued, slotStart: nil,
                slotLength: depot.slotLength, complaints: 0, closedAt: nil, submittedBy: actor))
            freshHashes.append(idHash)
            freshByID[s.orderID] = fresh.count - 1
            fates.append(.new(fresh.count - 1))
        }
        guard conflicts.isEmpty else { throw .conflict(OrderProblem.describe(conflicts)) }

        // Phase 2: store the new orders.
        roll(now)
        var newIndexes: [Int32] = []
        newIndexes.reserveCapacity(fresh.count)
        // Per depot id: the new keys and the virtual time (read once: nothing
        // is served in this loop), so no order hashes its depot's name.
        var newKeys: [[QueueKey]] = []
        var depotTimes: [Double] = []
        // Another policy's key replaces the finish tag (chosen once per batch).
        let policyKey = policy == .fair ? nil : policy
        let firstAcceptance = changes.events.count
        for (k, var o) in fresh.enumerated() {
            if k % Self.pauseEvery == Self.pauseEvery - 1 { pause(self) }
            let idx = Int32(orders.count)
            o.seq = Int64(idx) + 1
            let depot = orders.internDepot(o.depot, slotLength: o.slotLength)
            let d = Int(depot)
            if d >= newKeys.count {
                newKeys.append(contentsOf: repeatElement([], count: d - newKeys.count + 1))
                depotTimes.append(contentsOf: repeatElement(.nan, count: d - depotTimes.count + 1))
            }
            if depotTimes[d].isNaN { depotTimes[d] = depots[o.depot]!.virtualTime }
            let depotTime = depotTimes[d]
            let tier = UInt16(orders.tierNames.intern(o.tier))
            let c = Int(orders.customerNames.intern(o.customerID))
            let isNew = c == customers.count
            if isNew { customers.append(CustomerRecord(tier: tier)) }
            o.tag = max(depotTime, customers[c].lastFinish(in: depot)) + Double(o.units) / Double(o.weight)
            customers[c].setLastFinish(o.tag, in: depot)
            if let policyKey {
                o.tag = policyKey.key(weight: o.weight, clearedAtMs: o.clearedAt.milliseconds, customerComplaints: customers[c].complaints)
            }
            customers[c].queued += 1
            customers[c].orders += 1
            if isNew || customers[c].tier != tier { changes.customers.insert(o.customerID) }
            customers[c].tier = tier
            newKeys[d].append(QueueKey(o, index: idx))
            queuedCount += 1
            newIndexes.append(idx)
            changes.newOrders.append(idx)
            changes.events.append(Event(
                kind: .ingested, at: now, actor: actor, orderID: o.orderID, customerID: o.customerID, depot: o.depot,
                message: "order \(o.orderID) of customer \(o.customerID) (\(o.tier)) accepted for depot \(o.depot)",
                units: Int(o.units)))
            orders.append(o, idHash: freshHashes[k])
        }
        if changes.events.count > firstAcceptance { changes.acceptances.append(firstAcceptance..<changes.events.count) }
        let touched = newKeys.indices.filter { !newKeys[$0].isEmpty }.map { (name: orders.depotNames[UInt32($0)], id: $0) }
        for (name, d) in touched.sorted(by: { $0.name < $1.name }) {
            let keys = newKeys[d].sorted()
            depots[name]!.queuedUnits += keys.reduce(0) { $0 + Int($1.units) }
            // Projections ahead of the first new order stay valid.
            truncateProjection(name, fromRank: depots[name]!.queue.insertionRank(of: keys[0]))
            // Inserted in runs; each run is noted for the published view
            // before a pause lets lookups in.
            for start in stride(from: 0, to: keys.count, by: 4 * Self.pauseEvery) {
                let run = keys[start..<min(start + 4 * Self.pauseEvery, keys.count)]
                for key in run { depots[name]!.queue.insert(key) }
                publishedKeysQueued(run, depot: name)
                pause(self)
            }
            fillHorizon(name, candidates: keys, now: now, actor: actor)
            // Place the queue through the last new order in steps, so the
            // answers below find every place computed.
            let queue = depots[name]!.queue
            if let last = keys.reversed().lazy.compactMap({ queue.rank(of: $0) }).first {
                while depots[name]!.projection.placed <= last {
                    project(name, through: min(depots[name]!.projection.placed + Self.projectionStep, last))
                    pause(self)
                }
            }
        }

        // Answers, in request order.
        var results: [SubmitResult] = []
        results.reserveCapacity(submissions.count)
        for fate in fates {
            if results.count % Self.pauseEvery == Self.pauseEvery - 1 { pause(self) }
            let index: Int32
            let duplicate: Bool
            switch fate {
            case .new(let k):
                index = newIndexes[k]
                duplicate = false
            case .duplicateStored(let i):
                index = i
                duplicate = true
            case .duplicateInBatch(let k):
                index = newIndexes[k]
                duplicate = true
            }
            let (state, start, end) = slot(of: index)
            let deadline = orders[Int(index)].deadlineMs
            let atRisk = state.isOpen && deadline != OrderRecord.none && (end.map { $0 * 1000 > deadline } ?? false)
            results.append(SubmitResult(
                orderID: submissions[results.count].orderID, state: state, slotStart: start, slotEnd: end, duplicate: duplicate,
                atRisk: atRisk))
        }
        pause(self)
        return results
    }
}
