import FairwayCore
import Testing

@Suite struct ExportTests {
    static func order(_ id: String, at seconds: Int64) -> ExportedOrder {
        ExportedOrder(
            orderID: id, customerID: "C-\(id)", units: 1, tier: "standard", depot: "main", notBefore: nil, deadline: nil,
            clearedAt: t0.adding(seconds: seconds), receivedAt: t0.adding(seconds: seconds))
    }

    static func names(_ entries: [ExportEntry]) -> [String] {
        entries.map { e in
            let t = "+\(e.at.seconds - t0.seconds)"
            switch e {
            case .order(let o): return "order \(o.orderID) \(t)"
            case .complaint(_, let id): return "complaint \(id) \(t)"
            case .capacity(let c): return "capacity \(c.reason ?? "restore") \(t)"
            case .expedite(_, let id, let reason): return "expedite \(id) \(reason) \(t)"
            }
        }
    }

    static func change(_ reason: String?, at: Int64, from: Int64, to: Int64) -> CapacityChange {
        CapacityChange(
            depot: "main", from: t0.adding(seconds: from), to: t0.adding(seconds: to), capacity: reason == nil ? nil : 3,
            reason: reason, at: t0.adding(seconds: at), actor: "uid=0(root)")
    }

    static func expedite(_ id: String, at: Int64) -> ExpediteRecord {
        ExpediteRecord(
            orderID: id, depot: "main", actor: "uid=0(root)", at: t0.adding(seconds: at), reason: "ward \(id)", slotStart: 0,
            committed: true, displacedCount: 0)
    }

    static let orders = [order("A", at: 0), order("B", at: 0), order("C", at: 20)]
    static let complaints = [
        HistoryExport.ComplaintRow(at: t0.adding(seconds: 10), orderID: "A"),
        HistoryExport.ComplaintRow(at: t0.adding(seconds: 20), orderID: "C"),
        HistoryExport.ComplaintRow(at: t0.adding(seconds: 30), orderID: "A"),
    ]
    static let changes = [
        change("early truck", at: -100, from: 3600, to: 7200),  // made before, still covers later slots
        change("long gone", at: -90, from: -3600, to: 0),  // made before, over before the window
        change(nil, at: 20, from: 7200, to: 10_800),
        change("late", at: 100, from: 0, to: 3600),  // made after the window below
    ]
    static let expedites = [expedite("C", at: 20), expedite("A", at: 25)]

    static func entries(from: Int64, to: Int64) -> [ExportEntry] {
        HistoryExport.entries(
            from: t0.adding(seconds: from), to: t0.adding(seconds: to), orders: orders, complaints: complaints,
            capacityChanges: changes, expedites: expedites)
    }

    @Test func theWindowsOrdersComplaintsCapacityChangesAndExpeditesInTimeOrder() {
        // Of one instant: orders, complaints, capacity changes, expedites.
        #expect(Self.names(Self.entries(from: 0, to: 60)) == [
            "capacity early truck +0", "order A +0", "order B +0", "complaint A +10", "order C +20", "complaint C +20",
            "capacity restore +20", "expedite C ward C +20", "expedite A ward A +25", "complaint A +30",
        ])
        // From 15 s: what is about A and B names orders the window does not hold.
        #expect(Self.names(Self.entries(from: 15, to: 60)) == [
            "capacity early truck +20", "order C +20", "complaint C +20", "capacity restore +20", "expedite C ward C +20",
        ])
        #expect(Self.entries(from: 0, to: 15).count == 4)
        // Nothing made in the window: nothing, not even the changes in force.
        #expect(Self.entries(from: 40, to: 60).isEmpty)
        // A window with a change made in it: the earlier two still cover slots after its start.
        #expect(Self.names(Self.entries(from: 40, to: 200)) == [
            "capacity early truck +100", "capacity restore +100", "capacity late +100",
        ])
    }

    @Test func aCapacityChangesRangeIsRoundedUpToTheSecond() {
        var c = Self.change("odd", at: 0, from: 3600, to: 7200)
        c.from = Timestamp(milliseconds: c.from.milliseconds - 500)
        c.to = Timestamp(milliseconds: c.to.milliseconds + 1)
        let entries = HistoryExport.entries(
            from: t0, to: t0.adding(seconds: 60), orders: [], complaints: [], capacityChanges: [c], expedites: [])
        guard case .capacity(let exported) = entries.first else { Issue.record("\(entries)"); return }
        #expect(exported.from == t0.adding(seconds: 3600))
        #expect(exported.to == t0.adding(seconds: 7201))
    }
}
