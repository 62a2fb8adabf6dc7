import Glibc

/// `CLOCK_MONOTONIC`: time since an arbitrary point (boot, on Linux) that
/// never jumps. The one clock for timers, timeouts and measured intervals,
/// and the one systemd uses for `MONOTONIC_USEC=` and the watchdog.
public enum MonotonicClock {
    /// Nanoseconds on the monotonic clock.
    public static func nanoseconds() -> UInt64 {
        var ts = timespec()
        // CLOCK_MONOTONIC with a valid pointer cannot fail on Linux.
        let r = clock_gettime(CLOCK_MONOTONIC, &ts)
        precondition(r == 0, "clock_gettime(CLOCK_MONOTONIC) failed")
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }

    /// Microseconds on the monotonic clock.
    public static func microseconds() -> UInt64 { nanoseconds() / 1_000 }

    /// Seconds on the monotonic clock, for timers and intervals.
    public static func seconds() -> Double { Double(nanoseconds()) / 1e9 }
}
