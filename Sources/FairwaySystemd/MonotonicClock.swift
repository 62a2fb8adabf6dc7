import Glibc

/// Reads `CLOCK_MONOTONIC`, the clock systemd uses for `MONOTONIC_USEC=` and
/// watchdog timing.
public enum MonotonicClock {
    /// Microseconds since an arbitrary point (boot, on Linux) that never jumps.
    public static func microseconds() -> UInt64 {
        var ts = timespec()
        // CLOCK_MONOTONIC with a valid pointer cannot fail on Linux.
        _ = clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000 &+ UInt64(ts.tv_nsec) / 1_000
    }
}
