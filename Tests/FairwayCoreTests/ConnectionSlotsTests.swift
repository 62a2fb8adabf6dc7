import FairwayCore
import Testing

/// Connection slots: `max-connections`, the slots kept for operators and the
/// per-user bound, decided on values.
@Suite struct ConnectionSlotsTests {
    static func limits(max: Int, reserved: Int, perUser: Int) -> FairwayConfig.Limits {
        var l = FairwayConfig.Limits()
        l.maxConnections = max
        l.reservedOperatorConnections = reserved
        l.maxConnectionsPerUser = perUser
        return l
    }

    @Test func aReaderFillingEveryOtherSlotLeavesTheReservedOnesToOperators() {
        let l = Self.limits(max: 10, reserved: 3, perUser: 100)
        var s = ConnectionSlots()
        for _ in 0..<7 {
            #expect(s.admission(uid: 1000, userName: "dash", role: .reader, unlimitedUser: false, limits: l) == nil)
            s.opened(uid: 1000, role: .reader)
        }
        let refused = s.admission(uid: 1001, userName: nil, role: .reader, unlimitedUser: false, limits: l)
        #expect(refused?.code == .unavailable)
        #expect(refused?.message.contains("reserved-operator-connections") == true)
        #expect(s.admission(uid: 1002, userName: nil, role: FairwayCore.Role.none, unlimitedUser: false, limits: l)?.code == .unavailable)
        for _ in 0..<3 {
            #expect(s.admission(uid: 0, userName: "root", role: .operator, unlimitedUser: true, limits: l) == nil)
            s.opened(uid: 0, role: .operator)
        }
        let full = s.admission(uid: 0, userName: "root", role: .operator, unlimitedUser: true, limits: l)
        #expect(full?.message.contains("max-connections 10") == true)
        #expect(s.count(.reader) == 7 && s.count(.operator) == 3 && s.total == 10)
    }

    @Test func oneUserGetsAtMostItsShareButRootIsNotBoundByIt() {
        let l = Self.limits(max: 100, reserved: 8, perUser: 4)
        var s = ConnectionSlots()
        for _ in 0..<4 { s.opened(uid: 1000, role: .operator) }
        let refused = s.admission(uid: 1000, userName: "alice", role: .operator, unlimitedUser: false, limits: l)
        #expect(refused?.code == .unavailable)
        #expect(refused?.message.contains("uid=1000(alice)") == true)
        #expect(refused?.message.contains("max-connections-per-user 4") == true)
        #expect(s.admission(uid: 1001, userName: nil, role: .operator, unlimitedUser: false, limits: l) == nil)
        for _ in 0..<10 { s.opened(uid: 0, role: .operator) }
        #expect(s.admission(uid: 0, userName: "root", role: .operator, unlimitedUser: true, limits: l) == nil)
        s.closed(uid: 1000, role: .operator)
        #expect(s.admission(uid: 1000, userName: "alice", role: .operator, unlimitedUser: false, limits: l) == nil)
    }

    @Test func theReservedSlotsNeverTakeEveryConnection() {
        // The default 8 beside max-connections = 8: one slot stays for anyone.
        let l = Self.limits(max: 8, reserved: 8, perUser: 64)
        #expect(ConnectionSlots.reserved(l) == 7)
        var s = ConnectionSlots()
        #expect(s.admission(uid: 5, userName: nil, role: .reader, unlimitedUser: false, limits: l) == nil)
        s.opened(uid: 5, role: .reader)
        #expect(s.admission(uid: 6, userName: nil, role: .reader, unlimitedUser: false, limits: l) != nil)
    }

    @Test func aRoleChangedByAReloadMovesItsCount() {
        var s = ConnectionSlots()
        s.opened(uid: 7, role: .reader)
        s.changedRole(from: .reader, to: .operator)
        #expect(s.count(.reader) == 0 && s.count(.operator) == 1 && s.total == 1)
        s.closed(uid: 7, role: .operator)
        #expect(s == ConnectionSlots())
    }

    /// Random opens and closes, each open only when admitted: the bounds hold
    /// after every step, an operator is refused only when every slot is
    /// taken, and the counts agree with the connections held.
    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
    func boundsHoldOverRandomOpensAndCloses(seed: UInt64) {
        var random = SeededRandom(seed: seed)
        let l = Self.limits(max: Int.random(in: 2...40, using: &random), reserved: Int.random(in: 0...10, using: &random),
                            perUser: Int.random(in: 1...12, using: &random))
        var s = ConnectionSlots()
        var held: [(uid: UInt32, role: Role)] = []
        for _ in 0..<2000 {
            if !held.isEmpty && Int.random(in: 0..<3, using: &random) == 0 {
                let c = held.remove(at: Int.random(in: 0..<held.count, using: &random))
                s.closed(uid: c.uid, role: c.role)
                continue
            }
            let uid = UInt32.random(in: 0...5, using: &random)
            let role: Role = uid == 0 ? .operator : [.none, .reader, .operator][Int(uid) % 3]
            let refusal = s.admission(uid: uid, userName: nil, role: role, unlimitedUser: uid == 0, limits: l)
            if role == .operator && uid == 0 { #expect((refusal == nil) == (held.count < l.maxConnections)) }
            if let refusal { #expect(refusal.code == .unavailable) } else {
                s.opened(uid: uid, role: role)
                held.append((uid, role))
            }
            #expect(s.total == held.count && s.total <= l.maxConnections)
            #expect(held.filter { $0.role != .operator }.count <= l.maxConnections - ConnectionSlots.reserved(l))
            for u in UInt32(1)...5 { #expect(held.filter { $0.uid == u }.count <= l.maxConnectionsPerUser) }
            for r in Role.allCases { #expect(s.count(r) == held.filter { $0.role == r }.count) }
        }
    }
}
