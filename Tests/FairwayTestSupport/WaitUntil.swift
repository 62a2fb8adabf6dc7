// Polling a condition against the monotonic clock.

import FairwayPOSIX
import Glibc

/// Polls `condition` every `interval` seconds until it holds or `timeout`
/// seconds (on FairwayPOSIX's ``MonotonicClock``) have passed; returns
/// whether it held.
@discardableResult
public func waitUntil(timeout: Double, interval: Double = 0.02, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = MonotonicClock.seconds() + timeout
    while true {
        if try condition() { return true }
        if MonotonicClock.seconds() > deadline { return false }
        usleep(useconds_t(interval * 1_000_000))
    }
}
