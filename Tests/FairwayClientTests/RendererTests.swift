import FairwayProtocol
import Testing

@testable import FairwayClient

@Suite struct RendererTests {
    static let committed = object(#"""
        {"order_id":"SO-1042","customer_id":"C-77","units":3,"cleared_at":"2026-11-23T10:00:00Z","depot":"north",
         "tier":"gold","not_before":null,"deadline":"2026-11-30T00:00:00Z","notes":"one-off deal: free install",
         "received_at":"2026-11-23T10:00:03Z","state":"committed","weight":8,"slot_start":"2026-11-24T09:00:00Z",
         "slot_end":"2026-11-24T10:00:00Z","promised":true,"position":null,"tag":12.5,"at_risk":false,"complaints":1}
        """#)

    static let queuedAtRisk = object(#"""
        {"order_id":"SO-2000","customer_id":"C-8","units":12,"cleared_at":"2026-11-23T06:00:00Z","depot":"south",
         "tier":"basic","not_before":"2026-11-24T00:00:00Z","deadline":"2026-11-24T12:00:00Z","notes":null,
         "received_at":"2026-11-23T06:00:01Z","state":"queued","weight":1,"slot_start":"2026-11-25T09:00:00Z",
         "slot_end":"2026-11-25T10:00:00Z","promised":false,"position":13,"tag":123.456789012,"at_risk":true,"complaints":0}
        """#)

    @Test func committedOrder() {
        #expect(OrderRenderer.render(Self.committed) == """
            Order SO-1042 for customer C-77 (gold, weight 8)
              State:       committed — promised for Tue 24 Nov 2026 09:00–10:00 UTC (depot north)
              Units:       3         Cleared:   2026-11-23 10:00 UTC
              Complaints:  1         Deadline:  2026-11-30 00:00 UTC (on track)
              Tag:         12.5      Received:  2026-11-23 10:00:03 UTC
              Notes:       one-off deal: free install

            """)
    }

    @Test func queuedOrderAtRisk() {
        #expect(OrderRenderer.render(Self.queuedAtRisk) == """
            Order SO-2000 for customer C-8 (basic, weight 1)
              State:       queued — #14 in line in depot south (#1 is served next); projected for Wed 25 Nov 2026 09:00–10:00 UTC (not a promise yet)
              AT RISK:     projected past deadline 2026-11-24 12:00 UTC
              Units:       12        Cleared:     2026-11-23 06:00 UTC
              Complaints:  0         Deadline:    2026-11-24 12:00 UTC (AT RISK)
              Tag:         123.46    Received:    2026-11-23 06:00:01 UTC
                                     Not before:  2026-11-24 00:00 UTC

            """)
    }

    @Test func stateLines() {
        var order = Self.committed
        order["state"] = "queued"
        order["position"] = 0
        order["slot_start"] = nil
        #expect(OrderRenderer.stateLine(order) == "queued — #1 in line in depot north (#1 is served next); no slot projected yet")
        order["state"] = "cancelled"
        #expect(OrderRenderer.stateLine(order) == "cancelled (depot north)")
        #expect(
            ActionRenderer.render(.deliver(id: "SO-1042", at: nil), order: Self.committed)
                == "Order SO-1042 recorded as delivered.\n  State:  committed — promised for Tue 24 Nov 2026 09:00–10:00 UTC (depot north)\n")
    }

    @Test func scheduleWithBars() {
        let slots = json(#"""
            [{"depot":"north","start":"2026-11-24T09:00:00Z","end":"2026-11-24T10:00:00Z","capacity":120,"used":96,"committed":true,"orders":["SO-1","SO-2"]},
             {"depot":"north","start":"2026-11-24T10:00:00Z","end":"2026-11-24T11:00:00Z","capacity":120,"used":130,"committed":false,"orders":["SO-3"]},
             {"depot":"south","start":"2026-11-24T11:00:00Z","end":"2026-11-24T12:00:00Z","capacity":120,"used":1,"committed":false,"orders":["SO-4"]}]
            """#).arrayValue!.compactMap(\.objectValue)
        #expect(ScheduleRenderer.render(slots, listOrders: false) == """
            START (UTC)       DEPOT  FILL                            USED  STATE      ORDERS
            Tue 24 Nov 09:00  north  [################····]        96/120  promised        2
            Tue 24 Nov 10:00  north  [####################]  130/120 over  projected       1
            Tue 24 Nov 11:00  south  [#···················]         1/120  projected       1
            3 slots: 2 promised in 1 slot, 2 projected.

            """)
        let listed = ScheduleRenderer.render(slots, listOrders: true)
        #expect(listed.contains("promised        2\n    SO-1, SO-2\nTue 24 Nov 10:00"))
        #expect(ScheduleRenderer.render([], listOrders: false) == "No slots hold orders in that range.\n")
    }

    @Test func fillBarNeverExceedsItsWidth() {
        for capacity in [0, 1, 7, 40, 120] {
            for used in [0, 1, capacity / 2, capacity - 1, capacity, capacity + 1, capacity * 10, Int.max] where used >= 0 {
                let bar = FillBar.bar(used: used, capacity: capacity, width: 16)
                #expect(bar.count == 18, "used \(used) of \(capacity): \(bar)")
                let filled = bar.filter { $0 == "#" }.count
                if used == 0 { #expect(filled == 0) }
                if used > 0 { #expect(filled >= 1) }
                if used < capacity { #expect(filled < 16) }
                if used >= capacity && used > 0 { #expect(filled == 16) }
            }
        }
        #expect(FillBar.bar(used: 96, capacity: 120, width: 16) == "[#############···]")
        #expect(FillBar.label(used: 130, capacity: 120) == "130/120 over")
    }

    @Test func status() {
        let status = object(#"""
            {"id":1,"ok":true,"version":"0.1.0","started_at":"2026-11-23T06:00:00Z","queued":216,"committed":96,"delivered":0,
             "customers":1,"depots":[{"name":"north","capacity_per_slot":40,"slot_length_s":3600,"queued_units":812,
             "virtual_time":123.456789,"next_slots":[{"start":"2026-11-24T09:00:00Z","used":40,"capacity":40},
             {"start":"2026-11-24T10:00:00Z","used":10,"capacity":40}]}]}
            """#)
        #expect(StatusRenderer.render(status) == """
            fairwayd 0.1.0, started 2026-11-23 06:00 UTC
            Orders: 216 queued, 96 committed, 0 delivered; 1 customer

            DEPOT  SLOT  CAPACITY  QUEUED UNITS  VIRTUAL TIME
            north    1h        40           812        123.46

            NEXT SLOTS (UTC)  DEPOT  FILL                     USED
            Tue 24 Nov 09:00  north  [####################]  40/40
            Tue 24 Nov 10:00  north  [#####···············]  10/40

            """)
    }

    @Test func queueTable() {
        var second = Self.committed
        second["state"] = "queued"
        second["position"] = 1
        second["order_id"] = "SO-1043"
        let text = QueueRenderer.render([Self.queuedAtRisk, second], depot: nil, limit: 2)
        #expect(text == """
            Queue in depot south, in service order (#1 is served next): 2 orders, 15 units
             #  ORDER    CUSTOMER  TIER   UNITS  PROJECTED SLOT (UTC)  RISK
            14  SO-2000  C-8       basic     12  Wed 25 Nov 09:00      AT RISK
             2  SO-1043  C-77      gold       3  Tue 24 Nov 09:00
            1 at risk of missing a deadline.
            More may follow: fairwayctl queue --depot south --after SO-1043

            """)
        #expect(QueueRenderer.render([], depot: "north", limit: nil) == "No orders queued in depot north.\n")
    }

    @Test func historyAndCustomer() {
        let events = [object(#"{"at":"2026-11-23T10:00:03Z","kind":"ingested","actor":"uid 1000","message":"accepted"}"#)]
        #expect(HistoryRenderer.render(events, orderID: "SO-1") == """
            History of order SO-1
            AT (UTC)             EVENT     BY        WHAT
            2026-11-23 10:00:03  ingested  uid 1000  accepted

            """)
        let customer = object(#"{"customer_id":"C-77","tier":"gold","weight":8,"queued":3,"committed":1,"delivered":12,"complaints":2}"#)
        #expect(CustomerRenderer.render(customer).hasSuffix("  Complaints:  2\n"))
    }

    @Test func times() {
        let t = WireTime("2026-11-24T09:00:00Z")
        #expect(t?.shortDayAndClock == "Tue 24 Nov 09:00")
        #expect(WireTime("2024-02-29T23:59:30Z")?.longDay == "Thu 29 Feb 2024")
        #expect(WireTime("1970-01-01T00:00:00Z")?.weekday == 4)
        #expect(WireTime.slot(start: "2026-11-24T00:00:00Z", end: "2026-11-25T00:00:00Z") == "Tue 24 Nov 2026 (whole day, UTC)")
        #expect(WireTime.slot(start: "2026-11-24T23:00:00Z", end: "2026-11-25T00:00:00Z") == "Tue 24 Nov 2026 23:00–24:00 UTC")
        #expect(WireTime.slot(start: "2026-11-24T22:00:00Z", end: "2026-11-25T02:00:00Z") == "Tue 24 Nov 2026 22:00 – Wed 25 Nov 02:00 UTC")
        #expect(WireTime.stamp("not a time") == "not a time")
        #expect(NumberText.duration(900) == "15m")
        #expect(NumberText.duration(86_400) == "1d")
        #expect(NumberText.duration(45) == "45s")
    }
}
