/// Paces the `WATCHDOG=1` keep-alive pings on the monotonic clock. systemd
/// restarts the daemon when no ping comes for `WATCHDOG_USEC`; it asks for
/// one every half of that, the `interval` here.
///
/// Idle, the owner wakes up once per `interval` to ping. Busy, it asks
/// between jobs and pings once half an interval has passed: pinging early
/// leaves the most room for the next long job (a 10,000-order submit), so a
/// gap only nears `WATCHDOG_USEC` when one job takes most of it.
///
/// A value without I/O: the state owner asks it how long it may wait for
/// work and whether a ping is due, and tells it when one went out. The owner
/// sends the pings from its own thread, so a stuck scheduler stops them.
struct WatchdogPacer: Sendable {
    /// Seconds between pings when idle; `nil` when the watchdog is off.
    let interval: Double?
    /// When the last ping went out; never, at first, so the first is due at once.
    private var last = -Double.infinity

    /// A pacer for pings every `interval` seconds, or an idle one for `nil`.
    init(interval: Double?) {
        self.interval = interval.flatMap { $0 > 0 ? $0 : nil }
    }

    /// A pacer for `SystemdNotifier.watchdogInterval()`'s answer.
    init(interval: Duration?) {
        self.init(interval: interval.map { Double($0.components.seconds) + Double($0.components.attoseconds) / 1e18 })
    }

    /// Whether a ping is due at `now` (monotonic seconds): half an interval
    /// or more since the last one.
    func isDue(at now: Double) -> Bool {
        guard let interval else { return false }
        return now - last >= interval / 2
    }

    /// Records that a ping went out at `now`.
    mutating func pinged(at now: Double) {
        last = now
    }

    /// How long the owner may wait for work at `now` before it must ping:
    /// until a whole interval has passed since the last ping, at most `cap`
    /// seconds, never negative.
    func wait(at now: Double, cap: Double) -> Double {
        guard let interval else { return cap }
        return max(0, min(cap, last + interval - now))
    }
}
