import FairwayProtocol
import Testing

@testable import FairwayClient

@Suite struct CapacityRendererTests {
    @Test func movedPromisesAreATableAndTheSlotsShowTheirFill() {
        let answer = object(#"""
            {"moved":[{"order_id":"SO-240031","from_slot":"2026-11-24T09:00:00Z","to_slot":"2026-11-24T11:00:00Z"}],
             "slots":[{"start":"2026-11-24T09:00:00Z","capacity":20,"used":20}]}
            """#)
        let text = CapacityRenderer.render(answer, depot: "north", capacity: 20, reason: "truck 3")
        #expect(text.hasPrefix("Capacity of depot north set to 20 for 1 slot (truck 3).\n1 promise moved:\n"))
        #expect(text.contains("SO-240031  Tue 24 Nov 09:00  Tue 24 Nov 11:00"))
        #expect(text.contains("20/20"))
    }

    @Test func aResetThatMovedNothingSaysSo() {
        let answer = object(#"{"moved":[],"slots":[{"start":"2026-11-24T09:00:00Z","capacity":40,"used":12}]}"#)
        let text = CapacityRenderer.render(answer, depot: "north", capacity: nil, reason: nil)
        #expect(text.hasPrefix("Capacity of depot north back to its configured value for 1 slot.\nNo promise moved.\n"))
    }

    @Test func anOrderShowsItsOutcomeFirstPromiseAndAttempts() {
        let order = object(#"""
            {"order_id":"SO-1","customer_id":"C-1","units":1,"cleared_at":"2026-11-23T10:00:00Z","depot":"north",
             "tier":"gold","not_before":null,"deadline":null,"notes":null,"received_at":"2026-11-23T10:00:00Z",
             "state":"delivered","weight":4,"slot_start":"2026-11-24T11:00:00Z","slot_end":"2026-11-24T12:00:00Z",
             "promised":true,"position":null,"tag":1,"at_risk":false,"complaints":0,"overdue":false,
             "first_promise":{"slot_start":"2026-11-24T09:00:00Z","slot_end":"2026-11-24T10:00:00Z"},
             "promise_moves":1,"expedited":false,"displaced":0,"delivered_at":"2026-11-24T11:30:00Z",
             "closed_at":"2026-11-24T11:30:00Z","fail_reason":null,"outcome":"late",
             "attempts":[{"at":"2026-11-24T09:20:00Z","reason":"customer_absent","note":"gate locked"}]}
            """#)
        let text = OrderRenderer.render(order)
        #expect(text.contains("Outcome:     late at 2026-11-24 11:30 UTC"), "\(text)")
        #expect(text.contains("1st promise: Tue 24 Nov 2026 09:00–10:00 UTC"), "\(text)")
        #expect(text.contains("moved 1 time by capacity changes"), "\(text)")
        #expect(text.contains("customer_absent: gate locked"), "\(text)")
    }
}
