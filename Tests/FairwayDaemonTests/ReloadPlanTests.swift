import FairwayCore
import Testing

@testable import FairwayDaemon

/// Reload plans beyond OwnerLogicTests: every restart-only key, live keys, new
/// depots, and a property over random reloads.
@Suite struct ReloadPlanTests {
    /// A running config: two depots, two tiers, the daemon's own keys set.
    static let running: FairwayConfig = {
        var c = FairwayConfig()
        c.socketPath = "/run/fairway/fairway.sock"
        c.socketMode = 0o660
        c.stateDirectory = "/var/lib/fairway"
        c.durability = .full
        c.log = .journal
        c.defaultDepot = "main"
        c.defaultTier = "standard"
        c.tiers = [.init(name: "gold", weight: 4), .init(name: "standard", weight: 2)]
        c.depots = [.init(name: "main", slotLength: 3_600, capacity: 10), .init(name: "south", slotLength: 86_400, capacity: 100)]
        return c
    }()

    @Test func liveKeysTakeEffectAsRequested() {
        var requested = Self.running
        requested.tiers = [.init(name: "gold", weight: 6), .init(name: "standard", weight: 2), .init(name: "basic", weight: 1)]
        requested.depots[0].capacity = 25
        requested.depots.append(.init(name: "east", slotLength: 1_800, capacity: 5))
        requested.commitHorizon = 3
        requested.leadSlots = 0
        requested.limits.maxBatch = 5
        requested.access.operators = ["@fairway-ops"]
        requested.log = .stderr
        let plan = ReloadPlan(running: Self.running, requested: requested)
        #expect(plan.config == requested)
        #expect(plan.needsRestart.isEmpty)
    }

    @Test func restartOnlyKeysKeepTheirRunningValuesAndAreListedInFileOrder() {
        var requested = Self.running
        requested.socketPath = "/tmp/other.sock"
        requested.socketMode = 0o666
        requested.stateDirectory = "/srv/fairway"
        requested.durability = .normal
        requested.depots[1].slotLength = 7_200
        requested.depots[0].capacity = 30  // live, alongside
        let plan = ReloadPlan(running: Self.running, requested: requested)

        var expected = requested
        expected.socketPath = Self.running.socketPath
        expected.socketMode = Self.running.socketMode
        expected.stateDirectory = Self.running.stateDirectory
        expected.durability = Self.running.durability
        expected.depots[1].slotLength = 86_400
        #expect(plan.config == expected)
        #expect(plan.needsRestart == [
            .init(key: "[daemon] socket", running: "/run/fairway/fairway.sock", requested: "/tmp/other.sock"),
            .init(key: "[daemon] socket-mode", running: "0660", requested: "0666"),
            .init(key: "[daemon] state-directory", running: "/var/lib/fairway", requested: "/srv/fairway"),
            .init(key: "[daemon] durability", running: "full", requested: "normal"),
            .init(key: "[depot.south] slot-length", running: "1d", requested: "2h"),
        ])
    }

    @Test func aNewDepotTakesItsSlotLengthAsWritten() {
        var requested = Self.running
        requested.depots.append(.init(name: "west", slotLength: 900, capacity: 4))
        let plan = ReloadPlan(running: Self.running, requested: requested)
        #expect(plan.config.depot(named: "west")?.slotLength == 900)
        #expect(plan.needsRestart.isEmpty)
    }

    /// Property: whatever the new file says, the planned config differs from
    /// the requested one in restart-only keys alone, and those are the
    /// running values; every such difference is listed once.
    @Test func thePlanIsTheRequestWithTheRestartOnlyKeysPutBack() {
        var random = SeededRandom(seed: 0x51_6E_A1)
        for _ in 0..<500 {
            var requested = Self.running
            if random.next() % 2 == 0 { requested.socketPath = "/tmp/s\(random.next() % 3).sock" }
            if random.next() % 2 == 0 { requested.durability = random.next() % 2 == 0 ? .full : .normal }
            if random.next() % 2 == 0 { requested.commitHorizon = Int(random.next() % 5) }
            for i in requested.depots.indices where random.next() % 2 == 0 {
                requested.depots[i].slotLength = [900, 3_600, 86_400][Int(random.next() % 3)]
                requested.depots[i].capacity = Int(1 + random.next() % 50)
            }
            let plan = ReloadPlan(running: Self.running, requested: requested)
            #expect(plan.config.socketPath == Self.running.socketPath)
            #expect(plan.config.durability == Self.running.durability)
            #expect(plan.config.commitHorizon == requested.commitHorizon)
            #expect(plan.config.depots.map(\.slotLength) == Self.running.depots.map(\.slotLength))
            #expect(plan.config.depots.map(\.capacity) == requested.depots.map(\.capacity))
            let changedSlots = zip(Self.running.depots, requested.depots).filter { $0.slotLength != $1.slotLength }.count
            let expectedCount = (requested.socketPath != Self.running.socketPath ? 1 : 0)
                + (requested.durability != Self.running.durability ? 1 : 0) + changedSlots
            #expect(plan.needsRestart.count == expectedCount)
        }
    }

    @Test func durationsAreWrittenInTheLargestWholeUnit() {
        #expect(ReloadPlan.duration(86_400) == "1d")
        #expect(ReloadPlan.duration(172_800) == "2d")
        #expect(ReloadPlan.duration(7_200) == "2h")
        #expect(ReloadPlan.duration(5_400) == "90m")
        #expect(ReloadPlan.duration(90) == "90s")
        #expect(ReloadPlan.duration(60) == "1m")
    }
}
