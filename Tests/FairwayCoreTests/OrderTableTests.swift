@testable import FairwayCore
import Testing

/// The compact order storage: records, text arena, id index, name tables.
@Suite struct OrderTableTests {
    private func order(_ i: Int, id: String? = nil, notes: String? = nil, slotLength: Int64 = 3600, depot: String = "main") -> Order {
        Order(
            seq: Int64(i) + 1, orderID: id ?? "O-\(i)", customerID: "C-\(i % 7)", units: Int32(1 + i % 3), depot: depot,
            tier: i % 2 == 0 ? "gold" : "standard", weight: i % 2 == 0 ? 8 : 2, clearedAt: t0, receivedAt: t0.adding(seconds: 5),
            notBefore: i % 5 == 0 ? t0.adding(seconds: 7200) : nil, deadline: i % 3 == 0 ? t0.adding(seconds: 86400) : nil,
            notes: notes, tag: Double(i) / 4, state: i % 4 == 0 ? .committed : .queued,
            slotStart: i % 4 == 0 ? 1_795_392_000 + 3600 : nil, slotLength: slotLength, complaints: Int32(i % 2),
            closedAt: nil, submittedBy: "uid=\(i % 3)")
    }

    @Test func aRecordTakes96Bytes() {
        #expect(MemoryLayout<OrderRecord>.stride == 96)
    }

    @Test func ordersComeBackAsTheyWentInAndAreFoundByID() {
        var table = OrderTable()
        var expected: [Order] = []
        // Enough orders to make the id index grow several times; ids of all
        // lengths, notes absent, empty, short, long and not ASCII.
        for i in 0..<5000 {
            let id = i % 10 == 0 ? "a-rather-long-order-id-\(i)-\(String(repeating: "x", count: i % 40))" : "O-\(i)"
            let notes: String? = switch i % 5 {
            case 0: nil
            case 1: ""
            case 2: "fragile"
            case 3: String(repeating: "pallet jack needed; ", count: 5)
            default: "livraison \u{00E0} l'entrep\u{00F4}t \u{1F69A}"
            }
            let o = order(i, id: id, notes: notes)
            expected.append(o)
            #expect(table.append(o) == Int32(i))
        }
        #expect(Array(table) == expected)
        for (i, o) in expected.enumerated() {
            #expect(table.index(of: o.orderID) == Int32(i))
        }
        #expect(table.index(of: "O-5000") == nil)
        #expect(table.index(of: "") == nil)
        #expect(table.index(of: "O-1 ") == nil)
    }

    @Test func slotLengthsThatDifferFromTheDepotsAreKept() {
        var table = OrderTable()
        table.append(order(0, slotLength: 1800))
        table.append(order(1, slotLength: 3600))
        table.append(order(2, slotLength: 1800))
        #expect(table.map(\.slotLength) == [1800, 3600, 1800])
        table.setUsualSlotLength(depot: "main", 3600)
        #expect(table.map(\.slotLength) == [1800, 3600, 1800])
        table.setSlotLength(0, 3600)
        table.setSlotLength(1, 900)
        #expect(table.map(\.slotLength) == [3600, 900, 1800])
        table.setUsualSlotLength(depot: "north", 60)
        table.append(order(3, slotLength: 60, depot: "north"))
        #expect(table.map(\.slotLength) == [3600, 900, 1800, 60])
    }

    @Test func aResubmitWithOtherNotesIsAConflict() throws {
        var s = Scheduler(config: makeConfig(), now: t0)
        var first = sub("A", "C-1")
        first.notes = "call ahead"
        _ = try s.submit([first], now: t0, actor: "test")
        #expect(try s.submit([first], now: t0, actor: "test")[0].duplicate)
        for other in [nil, "", "call ahead ", "Call ahead"] as [String?] {
            var again = first
            again.notes = other
            #expect {
                try s.submit([again], now: t0, actor: "test")
            } throws: { ($0 as? FairwayError)?.code == .conflict && "\($0)".contains("notes") }
        }
    }

    @Test func restoringAfterASlotLengthChangeKeepsEachOrdersSlot() throws {
        var s = Scheduler(config: makeConfig(slotLength: 3600, horizon: 2, lead: 0), now: t0)
        _ = try s.submit((0..<5).map { sub("O-\($0)", "C-\($0)") }, now: t0, actor: "test")
        let before = Array(s.orders)
        #expect(before.contains { $0.state == .committed })
        let restored = Scheduler.Restored(orders: s.orders, customerTiers: [:], virtualTimes: ["main": s.virtualTime(depot: "main")!])
        var r = try Scheduler(config: makeConfig(slotLength: 1800, horizon: 2, lead: 0), restoring: restored, now: t0)
        #expect(Array(r.orders).filter { $0.state == .committed }.map(\.slotLength) == before.filter { $0.state == .committed }.map(\.slotLength))
        for o in before where o.state == .committed {
            let view = try r.order(o.orderID)
            #expect(view.slotEnd == o.slotStart! + 3600)
        }
    }
}
