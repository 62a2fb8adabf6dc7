import FairwayCore
import Testing

@testable import FairwayDaemon

/// The pacing of `WATCHDOG=1` pings as a property, on a clock the test drives
/// (the single cases are in OwnerLogicTests).
@Suite struct WatchdogPacerTests {
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
