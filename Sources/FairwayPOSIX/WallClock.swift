import Glibc

/// `CLOCK_REALTIME`, the wall clock: for timestamps a person reads, never
/// for intervals (it jumps; use ``MonotonicClock`` for those).
public enum WallClock {
    /// Milliseconds since the Unix epoch.
    public static func milliseconds() -> Int64 {
        var ts = timespec()
        // CLOCK_REALTIME with a valid pointer cannot fail on Linux.
        let r = clock_gettime(CLOCK_REALTIME, &ts)
        precondition(r == 0, "clock_gettime(CLOCK_REALTIME) failed")
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }

    /// Whole seconds since the Unix epoch.
    public static func seconds() -> Int64 { milliseconds() / 1000 }
}
