import FairwayCore
import Testing

/// The report's counting over a hand-built history.
@Suite struct ReportTests {
    /// 2026-11-23T00:00:00Z is a Monday (ISO week 48).
    let monday = Timestamp(rfc3339: "2026-11-23T00:00:00Z")!
    func at(_ text: String) -> Timestamp { Timestamp(rfc3339: text)! }
    func end(_ text: String) -> Int64 { at(text).seconds }

    /// One order of each kind, in two depots and two tiers, around the week's edges.
    var history: [Report.Record] {
        [
            // Delivered within its first promise (ends 10:00), with a complaint: on time.
            Report.Record(depot: "north", tier: "gold", clearedAt: at("2026-11-23T06:00:00Z"), state: .delivered,
                          closedAt: at("2026-11-23T09:30:00Z"), firstPromiseEnd: end("2026-11-23T10:00:00Z"), complaints: 2),
            // Delivered late, after a moved promise, past its deadline.
            Report.Record(depot: "north", tier: "standard", clearedAt: at("2026-11-23T06:00:00Z"), state: .delivered,
                          closedAt: at("2026-11-24T12:00:00Z"), firstPromiseEnd: end("2026-11-24T10:00:00Z"),
                          deadline: at("2026-11-24T00:00:00Z"), complaints: 1, promiseMoves: 1),
            // Delivered before it was ever promised: on time; expedited.
            Report.Record(depot: "south", tier: "gold", clearedAt: at("2026-11-29T20:00:00Z"), state: .delivered,
                          closedAt: at("2026-11-29T23:59:59Z"), expedited: true),
            // Failed (address) after one retried attempt (customer_absent), Sunday night / Monday.
            Report.Record(depot: "south", tier: "standard", clearedAt: at("2026-11-28T08:00:00Z"), state: .failed,
                          closedAt: at("2026-11-30T00:00:00Z"), firstPromiseEnd: end("2026-11-29T10:00:00Z"),
                          deadline: at("2026-12-05T00:00:00Z"), displaced: 2, failReason: "address",
                          attempts: [Report.Attempt(at: at("2026-11-29T09:00:00Z"), reason: "customer_absent")]),
            // Cancelled after its deadline.
            Report.Record(depot: "north", tier: "gold", clearedAt: at("2026-11-23T06:00:00Z"), state: .cancelled,
                          closedAt: at("2026-11-25T00:00:00Z"), deadline: at("2026-11-24T00:00:00Z")),
            // Cancelled before its deadline: not missed.
            Report.Record(depot: "north", tier: "gold", clearedAt: at("2026-11-23T06:00:00Z"), state: .cancelled,
                          closedAt: at("2026-11-25T00:00:00Z"), deadline: at("2026-11-26T00:00:00Z")),
            // Overdue: committed, its slot ended Wednesday, deadline passed.
            Report.Record(depot: "south", tier: "gold", clearedAt: at("2026-11-23T06:00:00Z"), state: .committed,
                          slotEnd: end("2026-11-25T11:00:00Z"), firstPromiseEnd: end("2026-11-25T11:00:00Z"),
                          deadline: at("2026-11-25T00:00:00Z")),
            // Committed, slot not ended by now: not counted.
            Report.Record(depot: "south", tier: "gold", clearedAt: at("2026-11-23T06:00:00Z"), state: .committed,
                          slotEnd: end("2026-12-01T11:00:00Z")),
            // Queued: not counted. Closed before the window: not counted.
            Report.Record(depot: "north", tier: "gold", clearedAt: at("2026-11-23T06:00:00Z"), state: .queued),
            Report.Record(depot: "north", tier: "gold", clearedAt: at("2026-11-20T06:00:00Z"), state: .delivered,
                          closedAt: at("2026-11-22T23:59:59Z")),
        ]
    }

    var now: Timestamp { at("2026-12-01T00:00:00Z") }

    @Test func everyCategoryIsCountedOnce() {
        let (rows, total) = Report.count(history, from: monday, to: at("2026-12-07T00:00:00Z"), by: [], now: now)
        #expect(rows.count == 1 && rows[0].key == [] && rows[0].counts == total)
        #expect(total.closed == 6)
        #expect(total.delivered == 3 && total.onTime == 2 && total.late == 1)
        #expect(total.failed == 1 && total.cancelled == 2)
        #expect(total.overdue == 1)
        #expect(total.retried == 1)
        #expect(total.failedByReason == ["address": 1, "customer_absent": 1])
        #expect(total.promiseMoved == 1 && total.expedited == 1 && total.displaced == 1)
        // The late delivery, the failure, the cancellation after the deadline, the overdue one.
        #expect(total.deadlineMissed == 4)
        #expect(total.complaints == 3 && total.complaintsOnTime == 2)
        #expect(total.otfp == 2.0 / 4.0)
        let waits = [3.5, 30.0, 3.99972]
        #expect(abs(total.waitMeanH! - waits.reduce(0, +) / 3) < 0.001)
        #expect(total.waitP95H == 30.0)
    }

    @Test func theWindowIsHalfOpen() {
        // Sunday 29th ends at 2026-11-30T00:00:00Z: the failure at that instant belongs to the next window.
        let (_, week) = Report.count(history, from: monday, to: at("2026-11-30T00:00:00Z"), by: [], now: now)
        #expect(week.failed == 0 && week.retried == 1 && week.closed == 5)
        let (_, next) = Report.count(history, from: at("2026-11-30T00:00:00Z"), to: at("2026-12-07T00:00:00Z"), by: [], now: now)
        #expect(next.failed == 1 && next.retried == 0 && next.closed == 1)
        let (_, none) = Report.count(history, from: monday, to: monday, by: [], now: now)
        #expect(none == Report.Counts())
        #expect(none.otfp == nil && none.waitMeanH == nil && none.waitP95H == nil)
    }

    @Test func dayWeekAndWeekdayAreUTCWithTheirBoundaries() {
        let window = (from: at("2026-11-22T00:00:00Z"), to: at("2026-12-07T00:00:00Z"))
        let days = Report.count(history, from: window.from, to: window.to, by: [.day], now: now).rows
        #expect(days.map { $0.key[0]! } == ["2026-11-22", "2026-11-23", "2026-11-24", "2026-11-25", "2026-11-29", "2026-11-30"])
        #expect(days.first { $0.key == ["2026-11-25"] }!.counts.cancelled == 2)
        #expect(days.first { $0.key == ["2026-11-25"] }!.counts.overdue == 1)
        let weeks = Report.count(history, from: window.from, to: window.to, by: [.week], now: now).rows
        // Sunday 22nd is the end of week 47; 23:59:59 on Sunday 29th is still week 48; Monday 30th starts week 49.
        #expect(weeks.map { $0.key[0]! } == ["2026-W47", "2026-W48", "2026-W49"])
        #expect(weeks.map(\.counts.closed) == [1, 5, 1])
        let weekdays = Report.count(history, from: window.from, to: window.to, by: [.weekday], now: now).rows
        #expect(weekdays.map { $0.key[0]! } == ["monday", "sunday", "tuesday", "wednesday"])
        #expect(weekdays.first { $0.key == ["sunday"] }!.counts.delivered == 2)
        #expect(weekdays.first { $0.key == ["monday"] }!.counts.failed == 1)
    }

    @Test func isoWeeksAcrossYearEnds() {
        func week(_ text: String) -> String {
            let r = Report.Record(depot: "d", tier: "t", clearedAt: at(text), state: .cancelled, closedAt: at(text))
            return Report.count([r], from: at("2000-01-01T00:00:00Z"), to: at("2100-01-01T00:00:00Z"), by: [.week], now: now).rows[0].key[0]!
        }
        #expect(week("2026-12-31T12:00:00Z") == "2026-W53")
        #expect(week("2027-01-03T23:59:59Z") == "2026-W53")
        #expect(week("2027-01-04T00:00:00Z") == "2027-W01")
        #expect(week("2024-12-30T00:00:00Z") == "2025-W01")
        #expect(week("2021-01-03T00:00:00Z") == "2020-W53")
    }

    @Test func depotTierAndReasonRowsAddUpToTheTotal() {
        let (rows, total) = Report.count(history, from: monday, to: at("2026-12-07T00:00:00Z"), by: [.depot, .tier, .reason], now: now)
        #expect(rows.map(\.key) == [
            ["north", "gold", nil], ["north", "standard", nil], ["south", "gold", nil], ["south", "standard", "address"],
            ["south", "standard", "customer_absent"],
        ])
        #expect(rows.reduce(0) { $0 + $1.counts.closed } == total.closed)
        #expect(rows.reduce(0) { $0 + $1.counts.overdue } == total.overdue)
        #expect(rows.reduce(0) { $0 + $1.counts.retried } == total.retried)
        #expect(rows.reduce(0) { $0 + $1.counts.complaints } == total.complaints)
        #expect(rows[3].counts.failed == 1 && rows[3].counts.failedByReason == ["address": 1])
        #expect(rows[4].counts.retried == 1 && rows[4].counts.closed == 0)
    }

    @Test func dimensionsAreChecked() throws {
        #expect(try Report.dimensions(["day", "depot"]) == [.day, .depot])
        #expect(throws: FairwayError.self) { try Report.dimensions(["day", "depot", "tier", "reason"]) }
        #expect(throws: FairwayError.self) { try Report.dimensions(["month"]) }
        #expect(throws: FairwayError.self) { try Report.dimensions(["day", "day"]) }
    }
}
