import FairwayCore
import Testing

@testable import FairwayDaemon

/// The pacing of `WATCHDOG=1` pings, on a clock the test drives.
@Suite struct WatchdogPacerTests {
    @Test func offWithoutAnIntervalOrWithAZeroOne() {
        for pacer in [WatchdogPacer(interval: nil as Double?), WatchdogPacer(interval: 0), WatchdogPacer(interval: -1)] {
            #expect(pacer.interval == nil)
            #expect(!pacer.isDue(at: 0))
            #expect(!pacer.isDue(at: 1e9))
            #expect(pacer.wait(at: 5, cap: 0.25) == 0.25)
        }
    }

    @Test func theFirstPingIsDueAtOnce() {
        let pacer = WatchdogPacer(interval: 10)
        #expect(pacer.isDue(at: 0))
        #expect(pacer.isDue(at: -1e6))
        #expect(pacer.wait(at: 0, cap: 60) == 0)
    }

    @Test func dueAfterHalfAnIntervalAndWaitsAtMostUntilAWholeOne() {
        var pacer = WatchdogPacer(interval: 10)
        pacer.pinged(at: 100)
        #expect(!pacer.isDue(at: 100))
        #expect(!pacer.isDue(at: 104.999))
        #expect(pacer.isDue(at: 105))
        #expect(pacer.wait(at: 100, cap: 60) == 10)
        #expect(pacer.wait(at: 103, cap: 60) == 7)
        #expect(pacer.wait(at: 103, cap: 2) == 2)
        #expect(pacer.wait(at: 111, cap: 60) == 0, "late: never negative")
    }

    @Test func aDurationIsTakenToTheAttosecond() {
        #expect(WatchdogPacer(interval: Duration.seconds(15)).interval == 15)
        #expect(WatchdogPacer(interval: Duration.milliseconds(200)).interval == 0.2)
        #expect(WatchdogPacer(interval: nil as Duration?).interval == nil)
    }

    /// Property: an owner that pings whenever a ping is due and otherwise
    /// sleeps for `wait` (or less, when work comes) never leaves a gap
    /// longer than the interval between pings, and never pings more often
    /// than every half interval.
    @Test func anOwnerThatFollowsThePacerKeepsEveryGapWithinTheInterval() {
        var random = SeededRandom(seed: 0xD06)
        for _ in 0..<200 {
            let interval = Double(1 + random.next() % 30) / 2
            var pacer = WatchdogPacer(interval: interval)
            var now = Double(random.next() % 1_000)
            var pings: [Double] = []
            for _ in 0..<300 {
                if pacer.isDue(at: now) {
                    pacer.pinged(at: now)
                    pings.append(now)
                }
                let cap = Double(random.next() % 1_000) / 100
                let wait = pacer.wait(at: now, cap: cap)
                #expect(wait >= 0 && wait <= cap)
                // Work may wake the owner early; a job then takes up to a tenth of the interval.
                let woke = random.next() % 2 == 0 ? wait : wait * Double(random.next() % 100) / 100
                now += woke + interval / 10 * Double(random.next() % 100) / 100
            }
            let gaps = zip(pings.dropFirst(), pings).map { $0 - $1 }
            #expect(gaps.allSatisfy { $0 >= interval / 2 }, "interval \(interval): \(gaps.min() ?? 0)")
            #expect(gaps.allSatisfy { $0 <= interval * 1.1 + 1e-9 }, "interval \(interval): \(gaps.max() ?? 0)")
        }
    }
}
