/// `report`: service failures counted over a time window, by up to three
/// dimensions. A pure function of the order records and the window; the
/// daemon reads the records from the store on a thread of its own.
public enum Report {
    /// What a report can group by.
    public enum Dimension: String, Sendable, Equatable, CaseIterable {
        /// UTC date of the closing time (of the slot end for overdue orders): `2026-11-24`.
        case day
        /// ISO 8601 week of that time, UTC: `2026-W48`.
        case week
        /// UTC weekday of that time: `monday` ... `sunday`.
        case weekday
        case depot
        case tier
        /// The failure reason (null for rows without one).
        case reason
    }

    /// A failed delivery attempt after which the order was retried.
    public struct Attempt: Sendable, Equatable {
        public var at: Timestamp
        public var reason: String
        public init(at: Timestamp, reason: String) {
            self.at = at
            self.reason = reason
        }
    }

    /// One order as the report needs it.
    public struct Record: Sendable, Equatable {
        public var depot: String
        public var tier: String
        public var clearedAt: Timestamp
        public var state: OrderState
        /// When it was delivered, failed or cancelled.
        public var closedAt: Timestamp?
        /// End (seconds) of the slot it is committed to now, for open orders.
        public var slotEnd: Int64?
        /// End (seconds) of its first promised slot; nil when never promised.
        public var firstPromiseEnd: Int64?
        public var deadline: Timestamp?
        public var complaints: Int
        public var promiseMoves: Int
        public var expedited: Bool
        public var displaced: Int
        /// The reason of its final failure.
        public var failReason: String?
        /// Failed attempts that were retried.
        public var attempts: [Attempt]

        public init(
            depot: String, tier: String, clearedAt: Timestamp, state: OrderState, closedAt: Timestamp? = nil,
            slotEnd: Int64? = nil, firstPromiseEnd: Int64? = nil, deadline: Timestamp? = nil, complaints: Int = 0,
            promiseMoves: Int = 0, expedited: Bool = false, displaced: Int = 0, failReason: String? = nil,
            attempts: [Attempt] = []
        ) {
            self.depot = depot
            self.tier = tier
            self.clearedAt = clearedAt
            self.state = state
            self.closedAt = closedAt
            self.slotEnd = slotEnd
            self.firstPromiseEnd = firstPromiseEnd
            self.deadline = deadline
            self.complaints = complaints
            self.promiseMoves = promiseMoves
            self.expedited = expedited
            self.displaced = displaced
            self.failReason = failReason
            self.attempts = attempts
        }

        /// How it ended against its first promise; nil while open.
        public var outcome: String? {
            switch state {
            case .queued, .committed: return nil
            case .failed: return "failed"
            case .cancelled: return "cancelled"
            case .delivered:
                guard let end = firstPromiseEnd, let at = closedAt else { return "on_time" }
                return at.milliseconds <= end * 1000 ? "on_time" : "late"
            }
        }
    }

    /// The counts of one row (or the total).
    public struct Counts: Sendable, Equatable {
        public var closed = 0
        public var delivered = 0
        public var onTime = 0
        public var late = 0
        public var failed = 0
        public var cancelled = 0
        public var overdue = 0
        public var retried = 0
        public var promiseMoved = 0
        public var expedited = 0
        public var displaced = 0
        public var deadlineMissed = 0
        public var complaints = 0
        public var complaintsOnTime = 0
        public var failedByReason: [String: Int] = [:]
        /// Hours from `cleared_at` to delivery, of delivered orders.
        public var waitsH: [Double] = []

        public init() {}

        /// On time to first promise: `on_time / (delivered + failed)`; nil when that is 0.
        public var otfp: Double? { delivered + failed == 0 ? nil : Double(onTime) / Double(delivered + failed) }
        public var waitMeanH: Double? { waitsH.isEmpty ? nil : waitsH.reduce(0, +) / Double(waitsH.count) }
        /// The 95th percentile wait (nearest rank).
        public var waitP95H: Double? {
            guard !waitsH.isEmpty else { return nil }
            let sorted = waitsH.sorted()
            let rank = Int((0.95 * Double(sorted.count)).rounded(.up))
            return sorted[max(rank, 1) - 1]
        }
    }

    /// A row: its key (a value per dimension asked for; nil for no reason) and counts.
    public struct Row: Sendable, Equatable {
        public var key: [String?]
        public var counts: Counts
    }

    /// Checks `by`: at most 3 known dimensions, none twice.
    public static func dimensions(_ by: [String]) throws(FairwayError) -> [Dimension] {
        guard by.count <= 3 else { throw .invalid("by: at most 3 dimensions, got \(by.count)") }
        var result: [Dimension] = []
        for name in by {
            guard let d = Dimension(rawValue: name) else {
                throw .invalid("by: unknown dimension '\(name)' (known: \(Dimension.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            guard !result.contains(d) else { throw .invalid("by: '\(name)' given twice") }
            result.append(d)
        }
        return result
    }

    /// Counts the orders closed in `[from, to)`, the open committed orders
    /// whose promised slot ended in it (and by `now`: `overdue`), and the
    /// retried attempts made in it, grouped by `by`; rows sorted by key
    /// (null first), and the total.
    public static func count(
        _ records: some Sequence<Record>, from: Timestamp, to: Timestamp, by: [Dimension], now: Timestamp
    ) -> (rows: [Row], total: Counts) {
        var rows: [[String?]: Counts] = [:]
        var total = Counts()
        func add(_ r: Record, at: Timestamp, reason: String?, _ change: (inout Counts) -> Void) {
            let key = by.map { value(of: $0, record: r, at: at, reason: reason) }
            change(&rows[key, default: Counts()])
            change(&total)
        }
        func inWindow(_ t: Timestamp) -> Bool { t >= from && t < to }
        for r in records {
            for a in r.attempts where inWindow(a.at) {
                add(r, at: a.at, reason: a.reason) { c in
                    c.retried += 1
                    c.failedByReason[a.reason, default: 0] += 1
                }
            }
            if let closed = r.closedAt, !r.state.isOpen, inWindow(closed) {
                let outcome = r.outcome
                add(r, at: closed, reason: r.state == .failed ? r.failReason : nil) { c in
                    c.closed += 1
                    switch r.state {
                    case .delivered:
                        c.delivered += 1
                        if outcome == "on_time" { c.onTime += 1 } else { c.late += 1 }
                        c.waitsH.append(Double(closed.milliseconds - r.clearedAt.milliseconds) / 3_600_000)
                    case .failed:
                        c.failed += 1
                        c.failedByReason[r.failReason ?? "other", default: 0] += 1
                    default:
                        c.cancelled += 1
                    }
                    if let deadline = r.deadline, r.state == .failed || closed > deadline { c.deadlineMissed += 1 }
                    c.complaints += r.complaints
                    if outcome == "on_time" { c.complaintsOnTime += r.complaints }
                    countFlags(r, &c)
                }
            } else if r.state == .committed, let end = r.slotEnd, inWindow(Timestamp(seconds: end)),
                end * 1000 <= now.milliseconds
            {
                add(r, at: Timestamp(seconds: end), reason: nil) { c in
                    c.overdue += 1
                    if let deadline = r.deadline, deadline <= now { c.deadlineMissed += 1 }
                    c.complaints += r.complaints
                    countFlags(r, &c)
                }
            }
        }
        if by.isEmpty { rows[[]] = total }  // one row, also when nothing was counted
        let sorted = rows.map { Row(key: $0.key, counts: $0.value) }.sorted { a, b in
            for (x, y) in zip(a.key, b.key) where x != y {
                guard let x else { return true }
                guard let y else { return false }
                return x < y
            }
            return false
        }
        return (sorted, total)
    }

    private static func countFlags(_ r: Record, _ c: inout Counts) {
        if r.promiseMoves > 0 { c.promiseMoved += 1 }
        if r.expedited { c.expedited += 1 }
        if r.displaced > 0 { c.displaced += 1 }
    }

    static let weekdays = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

    /// A record's value in one dimension, for an event at `at`.
    static func value(of d: Dimension, record r: Record, at: Timestamp, reason: String?) -> String? {
        let days = Timestamp.floorDiv(at.milliseconds, 86_400_000)
        switch d {
        case .day:
            let (y, m, day) = Timestamp.civil(fromDays: days)
            return "\(y)-\(two(m))-\(two(day))"
        case .weekday:
            return weekdays[Int(Timestamp.floorMod(days + 3, 7))]  // 1970-01-01 was a Thursday
        case .week:
            // ISO 8601: the week belongs to the year of its Thursday.
            let monday = days - Timestamp.floorMod(days + 3, 7)
            let thursday = monday + 3
            let year = Timestamp.civil(fromDays: thursday).year
            let firstThursday = Timestamp.days(fromCivil: year, 1, 1) + Timestamp.floorMod(3 - Timestamp.floorMod(Timestamp.days(fromCivil: year, 1, 1) + 3, 7), 7)
            let week = (thursday - firstThursday) / 7 + 1
            return "\(year)-W\(two(Int(week)))"
        case .depot: return r.depot
        case .tier: return r.tier
        case .reason: return reason
        }
    }

    private static func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
}

extension Timestamp {
    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : -((-a + b - 1) / b) }
    static func floorMod(_ a: Int64, _ b: Int64) -> Int64 { a - floorDiv(a, b) * b }
}
