@testable import FairwayDaemon
import FairwayCore
import FairwayProtocol
import Testing

/// The state owner's decisions that need no thread: which reads go before
/// earlier writes, when the watchdog is pinged, what a reload puts in force.
@Suite struct OwnerLogicTests {
    static let peer = PeerIdentity(pid: 1, uid: 0, gid: 0, userName: "root")

    static func job(_ connection: Int, _ op: Operation) -> Job {
        .request(connection: connection, request: Request(id: nil, operation: .success(op)), peer: peer, closeAfter: false)
    }

    static func connections(_ jobs: [Job]) -> [String] {
        jobs.map { job in
            switch job {
            case .request(let c, let r, _, _):
                guard case .success(let op) = r.operation else { return "\(c):failure" }
                return "\(c):\(op.name)"
            case .reload: return "reload"
            case .reloadFailed: return "reloadFailed"
            case .stop: return "stop"
            case .answered(let out, let op, _): return "\(out.connection):\(op) answered"
            }
        }
    }

    @Test func readsOfConnectionsWithNothingEarlierGoFirstAndEachConnectionKeepsItsOrder() {
        var jobs: [Job] = [
            Self.job(1, .deliver(orderID: "A", at: nil)),
            Self.job(2, .status),
            Self.job(1, .status),  // behind its own write: waits
            Self.job(3, .order(orderID: "B")),
            Self.job(2, .deliver(orderID: "C", at: nil)),
            Self.job(2, .status),  // behind its own write: waits
            Self.job(4, .status),
        ]
        let early = StateOwner.takeEarlyReads(&jobs)
        #expect(Self.connections(early) == ["2:status", "3:order", "4:status"])
        #expect(Self.connections(jobs) == ["1:deliver", "1:status", "2:deliver", "2:status"])
    }

    @Test func noReadOvertakesAReloadOrAStop() {
        var jobs: [Job] = [Self.job(1, .deliver(orderID: "A", at: nil)), .stop, Self.job(2, .status)]
        #expect(StateOwner.takeEarlyReads(&jobs).isEmpty)
        #expect(Self.connections(jobs) == ["1:deliver", "stop", "2:status"])
    }

    @Test func aBusyConnectionsReadsWaitAndADeclinedReadHoldsBackItsConnection() {
        var jobs: [Job] = [Self.job(1, .status), Self.job(2, .status), Self.job(2, .order(orderID: "X")), Self.job(3, .status)]
        var offered: [String] = []
        StateOwner.takeEarlyReads(&jobs, busy: [1]) { job, op in
            offered.append(Self.connections([job])[0])
            return op.name != "status" || Self.connections([job])[0] != "2:status"
        }
        #expect(offered == ["2:status", "3:status"], "1 is busy; 2's order waits behind its declined status")
        #expect(Self.connections(jobs) == ["1:status", "2:status", "2:order"])
    }

    @Test func theWatchdogIsPingedAtHalfItsIntervalAndTheOwnerWakesInTime() {
        var pacer = WatchdogPacer(interval: 10.0)
        #expect(pacer.isDue(at: 0), "the first ping is due at once")
        pacer.pinged(at: 0)
        #expect(!pacer.isDue(at: 4.9))
        #expect(pacer.isDue(at: 5))
        #expect(pacer.wait(at: 2, cap: 0.25) == 0.25)
        #expect(pacer.wait(at: 9.9, cap: 0.25) < 0.11)
        #expect(pacer.wait(at: 20, cap: 0.25) == 0)
        let off = WatchdogPacer(interval: nil as Double?)
        #expect(!off.isDue(at: 1e9) && off.wait(at: 0, cap: 0.25) == 0.25)
        #expect(WatchdogPacer(interval: Duration.milliseconds(1500)).interval == 1.5)
        #expect(WatchdogPacer(interval: 0.0).interval == nil)
    }

    static func config() -> FairwayConfig {
        var c = FairwayConfig()
        c.socketPath = "/run/fairway/fairway.sock"
        c.stateDirectory = "/var/lib/fairway"
        c.tiers = [FairwayConfig.Tier(name: "gold", weight: 4)]
        c.depots = [FairwayConfig.Depot(name: "main", slotLength: 3600, capacity: 10)]
        return c
    }

    @Test func aReloadAppliesWhatMayChangeAndKeepsRestartOnlyKeys() {
        let running = Self.config()
        var requested = running
        requested.tiers[0].weight = 8
        requested.depots[0].capacity = 20
        requested.socketPath = "/tmp/other.sock"
        requested.socketMode = 0o600
        requested.depots[0].slotLength = 1800
        let plan = ReloadPlan(running: running, requested: requested)
        #expect(plan.config.tiers[0].weight == 8)
        #expect(plan.config.depots[0].capacity == 20)
        #expect(plan.config.socketPath == running.socketPath)
        #expect(plan.config.socketMode == running.socketMode)
        #expect(plan.config.depots[0].slotLength == 3600)
        #expect(plan.needsRestart.map(\.key) == ["[daemon] socket", "[daemon] socket-mode", "[depot.main] slot-length"])
        #expect(plan.needsRestart[1] == ReloadPlan.RestartOnlyChange(key: "[daemon] socket-mode", running: "0660", requested: "0600"))
        #expect(plan.needsRestart[2].running == "1h" && plan.needsRestart[2].requested == "30m")
    }

    @Test func anUnchangedReloadNeedsNoRestart() {
        let plan = ReloadPlan(running: Self.config(), requested: Self.config())
        #expect(plan.needsRestart.isEmpty && plan.config == Self.config())
        #expect(ReloadPlan.duration(86_400) == "1d" && ReloadPlan.duration(90) == "90s")
    }
}
