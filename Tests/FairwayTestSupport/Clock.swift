// The monotonic clock of tests and the bench, and polling against it.

import Glibc

/// Seconds on `CLOCK_MONOTONIC` (the clock of `MONOTONIC_USEC=` and of the
/// watchdog), for intervals and deadlines only.
public func monotonicNow() -> Double {
    var ts = timespec()
    // CLOCK_MONOTONIC with a valid pointer cannot fail on Linux.
    _ = clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// Polls `condition` every `interval` seconds until it holds or `timeout`
/// seconds have passed; returns whether it held.
@discardableResult
public func waitUntil(timeout: Double, interval: Double = 0.02, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = monotonicNow() + timeout
    while true {
        if try condition() { return true }
        if monotonicNow() > deadline { return false }
        usleep(useconds_t(interval * 1_000_000))
    }
}
